"""Delivery against Slack's limits: 10,000 coffee intros through the outbox to a fake Web API.

Run: python benchmarks/delivery_throughput.py [--intros 10000] [--scale 60] [--backend sqlite]

Three runs, each from a fresh database holding ``--intros`` queued ``coffee_intro`` notices (each to
a different pair of people, so each needs a conversations.open and a chat.postMessage in a new group
DM), delivered by the Dispatcher as ``mentorbot run`` builds it (8 sender threads, the Pacer starting
from Slack's documented tiers), calling ``drain()`` back to back like the scheduler's delivery job:

1. **limited**: the fake enforces Tier 3 for conversations.open (50 a minute) and one message a
   second per channel for chat.postMessage, both sped up ``--scale`` times (so 50 a second and 60 a
   second per channel by default), answering 429 with Retry-After beyond that. The bot is told none
   of this; it learns the pace from the 429s. The allowed rate is conversations.open's (one per
   intro): ``50 / 60 * scale`` a second, plus its burst once.
2. **limits off, HTTP**: no rate limits; the fake Web API runs in this process, over HTTP.
3. **limits off, bot only**: the Web API client is a stub in memory (no HTTP), so what is left is the
   bot's own work: claim, render, pace, mark sent.

Checked each time: every notice is marked sent, once; every group DM got exactly one message.
"""

from __future__ import annotations

import argparse
import itertools
import threading
import time
from datetime import UTC, datetime
from typing import Any

from bench_support import DEFAULT_PG_URL, scratch_database
from fakeslack import FakeSlack
from sqlalchemy import func, select

from app.bootstrap import create_web_client
from app.config import load_settings
from app.db.engine import create_db_engine, create_session_factory
from app.db.models import Notice
from app.services import outbox
from app.services.outbox import Outbox
from app.slack.delivery import Dispatcher
from app.slack.pacing import TIER_3, Pacer


def enqueue_intros(url: str, intros: int) -> None:
    engine = create_db_engine(url)
    sessions = create_session_factory(engine)
    now = datetime.now(UTC)
    with sessions.begin() as session:
        for i in range(intros):
            a, b = f"UP{2 * i:05d}", f"UP{2 * i + 1:05d}"
            outbox.enqueue(
                session,
                key=f"coffee:1:{i}:intro",
                kind="coffee_intro",
                now=now,
                payload={
                    "users": [a, b],
                    "proposer": a,
                    "icebreaker": "What did you learn this week?",
                    "group_id": i,
                    "people": {
                        a: {"team": "Platform", "topics": ["sre"]},
                        b: {"team": "Design", "topics": []},
                    },
                },
            )
    engine.dispose()


class StubClient:
    """Answers conversations.open and chat.postMessage from memory, as Slack would (no HTTP)."""

    def __init__(self) -> None:
        self._ts = itertools.count(1)
        self._lock = threading.Lock()
        self.messages: dict[str, int] = {}

    def conversations_open(self, users: str) -> dict[str, Any]:
        return {"ok": True, "channel": {"id": "G" + users.replace(",", "")}}

    def chat_postMessage(self, channel: str, **_: Any) -> dict[str, Any]:
        with self._lock:
            self.messages[channel] = self.messages.get(channel, 0) + 1
            return {"ok": True, "channel": channel, "ts": f"{next(self._ts)}.000000"}


def run(url: str, fake: FakeSlack, client: Any, intros: int) -> dict[str, Any]:
    enqueue_intros(url, intros)
    engine = create_db_engine(url)
    dispatcher = Dispatcher(Outbox(create_session_factory(engine)), client, Pacer())
    progress: list[tuple[float, int]] = []
    started = time.perf_counter()
    sent = 0
    idle = 0
    while sent < intros and idle < 200:
        settled = dispatcher.drain(max_batches=1)  # one batch at a time, to see the progress
        sent += settled
        idle = 0 if settled else idle + 1
        progress.append((time.perf_counter() - started, sent))
        if not settled:
            time.sleep(0.05)  # some are waiting out a backoff in the outbox
    elapsed = time.perf_counter() - started
    dispatcher.close()
    with engine.connect() as connection:
        statuses = dict(connection.execute(select(Notice.status, func.count()).group_by(Notice.status)).all())
        attempts = connection.execute(select(func.max(Notice.attempts))).scalar()
    engine.dispose()
    return {"elapsed": elapsed, "statuses": statuses, "progress": progress, "max_attempts": attempts}


def rate_after(progress: list[tuple[float, int]], seconds: float) -> float:
    """Notices per second from ``seconds`` into the run to its end (the sustained rate)."""
    later = [(t, n) for t, n in progress if t >= seconds]
    if len(later) < 2:
        return float("nan")
    (t0, n0), (t1, n1) = later[0], later[-1]
    return (n1 - n0) / (t1 - t0)


def check_fake(fake: FakeSlack, intros: int) -> tuple[int, int]:
    """(group DMs with exactly one message, total messages)."""
    with fake._lock:
        counts = [len(messages) for messages in fake._messages.values()]
    return sum(1 for c in counts if c == 1), sum(counts)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--intros", type=int, default=10_000)
    parser.add_argument("--scale", type=float, default=60.0, help="how many times faster than Slack's limits")
    parser.add_argument("--backend", default="sqlite", choices=["sqlite", "postgresql"])
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL)
    parser.add_argument("--runs", default="limited,off,stub")
    args = parser.parse_args()

    open_rate, open_burst = TIER_3 * args.scale, 5
    rows: list[str] = []
    with FakeSlack() as fake:
        for i in range(2 * args.intros):
            fake.add_user(f"UP{i:05d}", f"p{i}", tz="UTC")
        settings = load_settings(
            _env_file=None,
            slack_bot_token=fake.bot_token,
            slack_signing_secret="s",
            slack_api_url=fake.api_url,
        )
        for name in args.runs.split(","):
            users = dict(fake.users)
            fake.reset()
            with fake._lock:
                fake.users.update(users)
            if name == "limited":
                fake.set_rate_limit("conversations.open", open_rate, burst=open_burst)
                fake.set_rate_limit("chat.postMessage", 1.0 * args.scale, burst=3, per_channel=True)
            client: Any = (
                StubClient() if name == "stub" else create_web_client(settings, for_delivery=True)
            )
            with scratch_database(args.backend, args.pg_url, tag="bench_delivery") as url:
                r = run(url, fake, client, args.intros)
            if name == "stub":
                one_each = sum(1 for c in client.messages.values() if c == 1)
                total, limited, calls = sum(client.messages.values()), 0, 2 * args.intros
            else:
                one_each, total = check_fake(fake, args.intros)
                limited = sum(fake.rate_limited_count.values())
                calls = len(fake.calls)
            sent = r["statuses"].get("sent", 0)
            overall = sent / r["elapsed"]
            sustained = rate_after(r["progress"], 10.0)
            allowed = open_rate + open_burst / r["elapsed"]
            share = (
                f"{overall / allowed:6.1%} {sustained / open_rate:6.1%}" if name == "limited" else " " * 13
            )
            lost = args.intros - sent - r["statuses"].get("failed", 0)
            rows.append(
                f"{name:<9}{r['elapsed']:>8.1f}{overall:>9.1f}{sustained:>9.1f}  {share}{calls:>8}"
                f"{limited:>6}{limited / max(1, calls):>7.2%}{sent:>7}{lost:>6}"
                f"{total - one_each:>8}{r['max_attempts']:>5}"
            )
            print(rows[-1], flush=True)

    print(
        f"\n{args.intros:,} intros; limits x{args.scale:g}: conversations.open {open_rate:.1f}/s "
        f"(burst {open_burst}), chat.postMessage {args.scale:g}/s per channel (burst 3); {args.backend}\n"
    )
    print(
        f"{'run':<9}{'secs':>8}{'sent/s':>9}{'>10s/s':>9}  {'of allowed':>13}{'calls':>8}{'429s':>6}"
        f"{'429 %':>7}{'sent':>7}{'lost':>6}{'doubled':>8}{'att':>5}"
    )
    for row in rows:
        print(row)
    print(
        "\nsent/s: over the whole run; >10s/s: from 10 s in to the end (after the pace is learned). "
        "of allowed: overall and sustained rate / conversations.open's limit. lost: neither sent nor "
        "failed; doubled: extra messages beyond one per group DM; att: most claims of one notice."
    )


if __name__ == "__main__":
    main()
