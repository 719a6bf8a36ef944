"""Mentor requests while a big coffee round goes out: queued -> sent per kind, with and without priority.

Run: python benchmarks/outbox_priority.py [--intros 10000] [--requests 100] [--window 40] [--scale 60]

Each run starts from a fresh database holding ``--intros`` queued ``coffee_intro`` notices (as in
delivery_throughput.py: each a conversations.open and a chat.postMessage in a new group DM), delivered by
the Dispatcher as ``mentorbot run`` builds it (8 senders, the production Pacer learning from 429s),
``drain()`` called back to back. The fake Web API runs in its own process and enforces Slack's limits
sped up ``--scale`` times, as in delivery_throughput.py: conversations.open Tier 3 (50 a minute -> 50 a
second at x60, burst 5), chat.postMessage one a second per channel (x60). From the start, ``--requests``
mentor requests (``mentor_request``, a DM to a mentor: conversations.open + chat.postMessage) are queued
at random moments over the first ``--window`` seconds (seeded, the same moments in both runs).

1. **priority**: as the bot ships (requests are NOW, intros BULK; see app/services/outbox.py).
2. **fifo**: the same load with every notice in one lane (the requests written with the bulk priority),
   i.e. claimed by due time only, as before priorities existed. A request then waits behind every intro
   queued before it; the run is cut ``--cap`` seconds after the window, and requests not sent by then
   are counted as such (their latency is at least the figure shown).

Queued -> sent is measured from the moment the notice is committed to the outbox to the moment Slack
answered its chat.postMessage (at the client; the outbox marks it sent within 0.2 s after). The intro
rate is measured from ``SETTLE`` s in (the pace is learned by then) to the end of the window, against
conversations.open's limit (the intros' and the requests' shared bottleneck); "all opens" adds the
requests' own conversations.open calls.
"""

from __future__ import annotations

import argparse
import random
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from bench_support import DEFAULT_PG_URL, percentile, scratch_database
from delivery_throughput import FakeProcess, enqueue_intros
from sqlalchemy import update

from app.bootstrap import create_web_client
from app.config import load_settings
from app.db.engine import create_db_engine, create_session_factory
from app.db.models import Notice
from app.services import notices, outbox
from app.services.outbox import BULK, Outbox
from app.slack.delivery import Dispatcher
from app.slack.pacing import TIER_3, Pacer

SETTLE = 10.0
SEED = 20261202


class Stamped:
    """The client, noting when Slack answered each chat.postMessage, by the notice key in its metadata."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self.sent: dict[str, float] = {}

    def chat_postMessage(self, **kwargs: Any) -> Any:
        answer = self._client.chat_postMessage(**kwargs)
        self.sent[kwargs["metadata"]["event_payload"]["key"]] = time.perf_counter()
        return answer

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)


def mentor_request(key: str, mentor: str, asker: str, n: int) -> notices.MentorRequest:
    start = datetime(2030, 3, 4, 10, 0, tzinfo=UTC)
    return notices.MentorRequest(
        key=key,
        to=mentor,
        meeting_id=n,
        asker_id=asker,
        goal="Prepare for on-call",
        topics=("sre",),
        start=start,
        tz="UTC",
        expires_at=start + timedelta(hours=24),
    )


def run(url: str, client: Any, args: argparse.Namespace, *, priority: bool) -> dict[str, Any]:
    enqueue_intros(url, args.intros)
    engine = create_db_engine(url)
    sessions = create_session_factory(engine)
    stamped = Stamped(client)
    dispatcher = Dispatcher(Outbox(sessions), stamped, Pacer())
    rng = random.Random(SEED)
    moments = sorted(rng.uniform(0, args.window) for _ in range(args.requests))
    queued: dict[str, float] = {}
    started = time.perf_counter()

    def drive() -> None:
        while not stopped.is_set():
            if not dispatcher.drain():
                time.sleep(0.05)

    def ask() -> None:
        for n, moment in enumerate(moments):
            time.sleep(max(0.0, started + moment - time.perf_counter()))
            key = f"meeting:{n}:request"
            with sessions.begin() as session:
                mentor, asker = f"UP{2 * args.intros + n:05d}", f"UP{n:05d}"
                outbox.enqueue(session, mentor_request(key, mentor, asker, n), now=now())
                if not priority:  # the baseline: one lane, by due time only
                    session.execute(update(Notice).where(Notice.key == key).values(priority=BULK))
            queued[key] = time.perf_counter()

    stopped = threading.Event()
    driver = threading.Thread(target=drive, daemon=True)
    asker = threading.Thread(target=ask, daemon=True)
    driver.start()
    asker.start()
    while time.perf_counter() < started + args.window + args.cap:
        out = not asker.is_alive() and len(done(stamped, queued)) == args.requests
        if out and time.perf_counter() >= started + args.window:
            break  # the whole window measured, and every request is out
        time.sleep(0.1)
    ended = time.perf_counter()
    stopped.set()
    dispatcher.stop()
    driver.join(timeout=30)
    asker.join(timeout=5)
    engine.dispose()

    sent = dict(stamped.sent)
    # A request not sent when the run was cut counts with what it had waited so far (a lower bound).
    request_latency = [sent.get(k, ended) - t for k, t in queued.items()]
    intro_times = [t for k, t in sent.items() if not k.startswith("meeting:")]
    intro_latency = [t - started for t in intro_times]  # all intros were queued at the start
    window_end = min(ended, started + args.window)
    in_window = [t for t in intro_times if started + SETTLE <= t <= window_end]
    requests_in_window = sum(1 for k, t in sent.items() if k.startswith("meeting:") and t - started >= SETTLE)
    return {
        "requests": request_latency,
        "unsent": sum(1 for k in queued if k not in sent),
        "intros": intro_latency,
        "intro_rate": len(in_window) / max(1e-9, window_end - started - SETTLE),
        "requests_rate": requests_in_window / max(1e-9, window_end - started - SETTLE),
        "elapsed": ended - started,
    }


def done(stamped: Stamped, queued: dict[str, float]) -> list[str]:
    return [k for k in list(queued) if k in stamped.sent]


def now() -> datetime:
    return datetime.now(UTC)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--intros", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--window", type=float, default=40.0, help="seconds over which requests arrive")
    parser.add_argument("--cap", type=float, default=30.0, help="fifo: seconds after the window to stop")
    parser.add_argument("--scale", type=float, default=60.0)
    parser.add_argument("--backend", default="sqlite", choices=["sqlite", "postgresql"])
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL)
    parser.add_argument("--runs", default="priority,fifo")
    args = parser.parse_args()

    open_rate, open_burst = TIER_3 * args.scale, 5
    fake = FakeProcess(2 * args.intros + args.requests)
    settings = load_settings(
        _env_file=None, slack_bot_token=fake.bot_token, slack_signing_secret="s", slack_api_url=fake.api_url
    )
    rows = []
    try:
        for name in args.runs.split(","):
            fake.command("reset")
            fake.command(
                "limit",
                method="conversations.open",
                per_second=open_rate,
                burst=open_burst,
                per_channel=False,
            )
            fake.command("limit", method="chat.postMessage", per_second=args.scale, burst=3, per_channel=True)
            client = create_web_client(settings, for_delivery=True)
            with scratch_database(args.backend, args.pg_url, tag="bench_priority") as url:
                r = run(url, client, args, priority=name == "priority")
            stats = fake.command("stats")
            req, intro = r["requests"], r["intros"]
            more = ">" if r["unsent"] else " "
            rows.append(
                f"{name:<10}{percentile(req, 50):>8.2f}{more}{percentile(req, 99):>8.2f}{more}"
                f"{r['unsent']:>7}"
                f"{percentile(intro, 50):>9.1f}{percentile(intro, 99):>9.1f}{len(intro):>8}"
                f"{r['intro_rate']:>9.1f}{r['intro_rate'] / open_rate:>8.1%}"
                f"{(r['intro_rate'] + r['requests_rate']) / open_rate:>10.1%}"
                f"{stats['limited']:>6}{r['elapsed']:>7.1f}"
            )
            print(rows[-1], flush=True)
    finally:
        fake.close()

    print(
        f"\n{args.intros:,} intros queued, then {args.requests} mentor requests at random moments over "
        f"{args.window:g} s; limits x{args.scale:g}: conversations.open {open_rate:.1f}/s "
        f"(burst {open_burst}), chat.postMessage {args.scale:g}/s per channel; {args.backend}\n"
    )
    print(
        f"{'run':<10}{'req p50':>9}{'req p99':>9}{'unsent':>7}{'int p50':>9}{'int p99':>9}{'intros':>8}"
        f"{'intro/s':>9}{'of lim':>8}{'all opens':>10}{'429s':>6}{'secs':>7}"
    )
    for row in rows:
        print(row)
    print(
        "\nreq/int p50, p99: seconds from queued to Slack's answer to chat.postMessage, for the mentor "
        "requests and for the intros sent in the run (> : some requests were not sent when the run was cut; "
        "they count with their wait so far, so the true figure is higher). intro/s and 'of lim': intros "
        "from 10 s in to the end of the window, against conversations.open's limit; 'all opens': intros "
        "and requests together."
    )


if __name__ == "__main__":
    main()
