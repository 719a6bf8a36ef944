"""Delivery against Slack's limits: 10,000 coffee intros through the outbox to a fake Web API.

Run: python benchmarks/delivery_throughput.py [--intros 10000] [--scale 60] [--backend sqlite]
     [--runs limited,off,stub,stub-nopace,grid] [--grid-seconds 20] [--shapes ...] [--scales 30,60,120]

Each run starts from a fresh database holding ``--intros`` queued ``coffee_intro`` notices (each to a
different pair of people, so each needs a conversations.open and a chat.postMessage in a new group DM),
delivered by the Dispatcher as ``mentorbot run`` builds it (8 sender threads, the Pacer starting from
Slack's documented tiers), calling ``drain()`` back to back like the scheduler's delivery job:

1. **limited**: the fake enforces Tier 3 for conversations.open (50 a minute) and one message a second
   per channel for chat.postMessage, both sped up ``--scale`` times (so 50 a second, and 60 a second per
   channel, by default), answering 429 with a whole-second Retry-After beyond that, as Slack does. The
   bot is told none of this; it learns the pace from the 429s. The allowed rate is conversations.open's
   (one per intro): ``50 / 60 * scale`` a second, plus its burst once. Note that the Retry-After is not
   scaled: each 429 costs a whole second, some 50 calls at this scale (about one call at Slack's own).
2. **off**: no rate limits, over HTTP.
3. **stub**: the Web API client is a stub in memory (no HTTP), the pacer as in production: what is left
   is the bot's own work (claim, render, pace, mark sent) plus the pacer's slow start from Tier 3.
4. **stub-nopace**: the same without any pacing: the bot's own overhead alone.
5. **grid**: the limited run against each limiter shape the fake offers (token bucket as in 1; a fixed
   window and a sliding window of 50 calls a minute, both sped up) at each of ``--scales`` (30, 60, 120),
   each cell with a fresh pacer and ``--grid-seconds`` (20) of intros at the limit rather than 10,000,
   so the whole grid takes about 4 minutes. Short cells weigh the learning more: the overall share is
   lower than over 10,000 intros, the sustained one (from ``--settle`` seconds in) comparable.

The fake Web API runs in a process of its own (driven over a pipe), so that it does not take the bot's
CPU (Python's GIL) as it would in the same process, and with Python's cyclic garbage collector off: the fake
keeps every call it serves, and a full collection over them stalls it for tens of milliseconds, during
which calls queue up and then reach its rate limiter at once. At x60 that is seconds of Slack's time, an
artifact of speeding up the limits but not the fake. ``--fake-gc`` leaves the collector on, to see how the
pacer copes with that jitter (it settles a little lower: a 429 it cannot explain lowers its bound a bit).

Checked each time: every notice is marked sent, once; every group DM got exactly one message.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import math
import subprocess
import sys
import threading
import time
from typing import Any

from bench_support import DEFAULT_PG_URL, scratch_database
from sqlalchemy import func, select

from app.bootstrap import create_web_client
from app.config import load_settings
from app.db.engine import create_db_engine, create_session_factory
from app.db.models import Notice
from app.sandbox.standin import RATE_LIMIT_SHAPES as SHAPES
from app.sandbox.standin import FakeSlack
from app.services import notices, outbox
from app.services.clock import utc_now
from app.services.outbox import Outbox
from app.slack.delivery import Dispatcher
from app.slack.pacing import TIER_3, Pacer

SETTLE_SECONDS = 10.0  # the sustained rate is measured from this far into a run (the pace is learned)


def enqueue_intros(url: str, intros: int) -> None:
    engine = create_db_engine(url)
    sessions = create_session_factory(engine)
    now = utc_now()
    with sessions.begin() as session:
        for i in range(intros):
            a, b = f"UP{2 * i:05d}", f"UP{2 * i + 1:05d}"
            outbox.enqueue(
                session,
                notices.CoffeeIntro(
                    key=f"coffee:1:{i}:intro",
                    users=(a, b),
                    proposer=a,
                    icebreaker="What did you learn this week?",
                    group_id=i,
                    people={a: notices.Colleague("Platform", ("sre",)), b: notices.Colleague("Design", ())},
                ),
                now=now,
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


class Timed:
    """The client, noting when each chat.postMessage succeeded (the progress of a run)."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self.posted: list[float] = []

    def chat_postMessage(self, **kwargs: Any) -> Any:
        answer = self._client.chat_postMessage(**kwargs)
        self.posted.append(time.perf_counter())  # list.append is atomic
        return answer

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)


def run(url: str, client: Any, intros: int, *, paced: bool = True) -> dict[str, Any]:
    enqueue_intros(url, intros)
    engine = create_db_engine(url)
    timed = Timed(client)
    dispatcher = Dispatcher(Outbox(create_session_factory(engine)), timed, Pacer() if paced else Pacer({}))
    started = time.perf_counter()
    settled = idle = 0
    while settled < intros and idle < 200:
        done = dispatcher.drain()
        settled += done
        idle = 0 if done else idle + 1
        if not done:
            time.sleep(0.05)  # some are waiting out a backoff in the outbox
    elapsed = time.perf_counter() - started
    with engine.connect() as connection:
        statuses = dict(connection.execute(select(Notice.status, func.count()).group_by(Notice.status)).all())
        attempts = connection.execute(select(func.max(Notice.attempts))).scalar()
    engine.dispose()
    posted = [t - started for t in timed.posted]
    return {"elapsed": elapsed, "statuses": statuses, "posted": posted, "max_attempts": attempts}


def sustained(posted: list[float], since: float) -> float:
    """Messages per second from ``since`` seconds into the run to its last message."""
    later = [t for t in posted if t >= since]
    return len(later) / (later[-1] - since) if len(later) > 1 else float("nan")


def serve_fake(people: int, *, collect_garbage: bool) -> None:
    """The fake Web API, in this (child) process: one JSON command a line on stdin, one answer on stdout."""
    if not collect_garbage:
        gc.disable()
    with FakeSlack() as fake:
        for i in range(people):
            fake.add_user(f"UP{i:05d}", f"p{i}", tz="UTC")
        users = dict(fake.users)
        print(json.dumps({"api_url": fake.api_url, "bot_token": fake.bot_token}), flush=True)
        for line in sys.stdin:
            command = json.loads(line)
            answer: dict[str, Any] = {}
            if command["op"] == "reset":
                fake.reset()
                with fake._lock:
                    fake.users.update(users)
            elif command["op"] == "limit":
                fake.set_rate_limit(
                    command["method"],
                    command["per_second"],
                    command["burst"],
                    command["per_channel"],
                    shape=command.get("shape", "token-bucket"),
                )
            elif command["op"] == "stats":
                with fake._lock:
                    counts = [len(messages) for messages in fake._messages.values()]
                    answer = {
                        "one_each": sum(1 for c in counts if c == 1),
                        "messages": sum(counts),
                        "limited": sum(fake.rate_limited_count.values()),
                        "calls": len(fake.calls),
                    }
            print(json.dumps(answer), flush=True)


class FakeProcess:
    def __init__(self, people: int, *, collect_garbage: bool = False) -> None:
        self._process = subprocess.Popen(
            [
                sys.executable,
                __file__,
                "--serve-fake",
                str(people),
                *(["--fake-gc"] if collect_garbage else []),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        hello = self._read()
        self.api_url, self.bot_token = hello["api_url"], hello["bot_token"]

    def command(self, op: str, **args: Any) -> dict[str, Any]:
        assert self._process.stdin is not None
        self._process.stdin.write(json.dumps({"op": op, **args}) + "\n")
        self._process.stdin.flush()
        return self._read()

    def _read(self) -> dict[str, Any]:
        assert self._process.stdout is not None
        return dict(json.loads(self._process.stdout.readline()))

    def close(self) -> None:
        assert self._process.stdin is not None
        self._process.stdin.close()
        self._process.wait(timeout=30)


def limit(fake: FakeProcess, shape: str, scale: float) -> tuple[float, int]:
    """Slack's documented limits sped up ``scale`` times, in ``shape``; conversations.open's rate and burst.

    Token bucket: conversations.open Tier 3 with a burst of 5, chat.postMessage 1/s per channel with a
    burst of 3. Windows: Tier 3 is 50 calls in each minute (or any minute, sliding), sped up."""
    open_rate = TIER_3 * scale
    open_burst = 5 if shape == "token-bucket" else 50
    fake.command(
        "limit",
        method="conversations.open",
        per_second=open_rate,
        burst=open_burst,
        per_channel=False,
        shape=shape,
    )
    fake.command("limit", method="chat.postMessage", per_second=scale, burst=3, per_channel=True, shape=shape)
    return open_rate, open_burst


def measure(
    fake: FakeProcess, settings: Any, args: argparse.Namespace, name: str, intros: int
) -> dict[str, Any]:
    """One run of ``intros`` intros; the figures of a row (the fake's limits are set by the caller)."""
    stub = name.startswith("stub")
    client: Any = StubClient() if stub else create_web_client(settings, for_delivery=True)
    with scratch_database(args.backend, args.pg_url, tag="bench_delivery") as url:
        r = run(url, client, intros, paced=name != "stub-nopace")
    if stub:
        one_each = sum(1 for c in client.messages.values() if c == 1)
        total, limited, calls = sum(client.messages.values()), 0, 2 * intros
    else:
        stats = fake.command("stats")
        one_each, total, limited, calls = (
            stats["one_each"],
            stats["messages"],
            stats["limited"],
            stats["calls"],
        )
    sent = r["statuses"].get("sent", 0)
    return {
        "elapsed": r["elapsed"],
        "sent": sent,
        "overall": sent / r["elapsed"],
        "steady": sustained(r["posted"], args.settle),
        "calls": calls,
        "limited": limited,
        "lost": intros - sent - r["statuses"].get("failed", 0),
        "doubled": total - one_each,
        "attempts": r["max_attempts"] or 0,
    }


def shares(m: dict[str, Any], open_rate: float, open_burst: int) -> str:
    """Overall rate / (the limit + its burst once), and the sustained rate / the limit."""
    allowed = open_rate + open_burst / m["elapsed"]
    return f"{m['overall'] / allowed:7.1%}{m['steady'] / open_rate:8.1%}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--intros", type=int, default=10_000)
    parser.add_argument("--scale", type=float, default=60.0, help="how many times faster than Slack's limits")
    parser.add_argument("--backend", default="sqlite", choices=["sqlite", "postgresql"])
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL)
    parser.add_argument("--runs", default="limited,off,stub,stub-nopace,grid")
    parser.add_argument("--shapes", default=",".join(SHAPES), help="the grid's limiter shapes")
    parser.add_argument("--scales", default="30,60,120", help="the grid's speed-ups")
    parser.add_argument(
        "--grid-seconds", type=float, default=20.0, help="each grid cell: intros for this long at the limit"
    )
    parser.add_argument("--settle", type=float, default=SETTLE_SECONDS, help="sustained: from this far in")
    parser.add_argument("--fake-gc", action="store_true", help="leave the fake's garbage collector on")
    parser.add_argument("--serve-fake", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_fake is not None:
        serve_fake(args.serve_fake, collect_garbage=args.fake_gc)
        return

    runs = args.runs.split(",")
    shapes, scales = args.shapes.split(","), [float(x) for x in args.scales.split(",")]
    cell_intros = {scale: math.ceil(TIER_3 * scale * args.grid_seconds) for scale in scales}
    people = 2 * max([args.intros] + (list(cell_intros.values()) if "grid" in runs else []))
    rows: list[str] = []
    grid: list[str] = []
    fake = FakeProcess(people, collect_garbage=args.fake_gc)
    settings = load_settings(
        _env_file=None, slack_bot_token=fake.bot_token, slack_signing_secret="s", slack_api_url=fake.api_url
    )
    open_rate, open_burst = TIER_3 * args.scale, 5
    try:
        for name in runs:
            if name == "grid":
                continue
            fake.command("reset")
            if name == "limited":
                limit(fake, "token-bucket", args.scale)
            m = measure(fake, settings, args, name, args.intros)
            share = shares(m, open_rate, open_burst) if name == "limited" else " " * 15
            rows.append(
                f"{name:<12}{m['elapsed']:>7.1f}{m['overall']:>8.1f}{m['steady']:>8.1f}{share}{m['calls']:>8}"
                f"{m['limited']:>6}{m['limited'] / max(1, m['calls']):>7.2%}{m['sent']:>7}{m['lost']:>6}"
                f"{m['doubled']:>8}{m['attempts']:>5}"
            )
            print(rows[-1], flush=True)
        for shape in shapes if "grid" in runs else []:
            for scale in scales:
                fake.command("reset")
                rate, burst = limit(fake, shape, scale)
                m = measure(fake, settings, args, "grid", cell_intros[scale])
                grid.append(
                    f"{shape:<15}{f'x{scale:g}':>5}{cell_intros[scale]:>7}{m['elapsed']:>7.1f}{m['overall']:>8.1f}"
                    f"{shares(m, rate, burst)}{m['limited']:>6}{m['limited'] / max(1, m['calls']):>7.2%}"
                    f"{m['lost']:>6}{m['doubled']:>8}"
                )
                print(grid[-1], flush=True)
    finally:
        fake.close()

    header = (
        f"{'secs':>7}{'sent/s':>8}{f'>{args.settle:g}s/s':>8}{'of allowed':>15}{'calls':>8}{'429s':>6}"
        f"{'429 %':>7}"
        f"{'sent':>7}{'lost':>6}{'doubled':>8}{'att':>5}"
    )
    if rows:
        print(
            f"\n{args.intros:,} intros; limits x{args.scale:g}: conversations.open {open_rate:.1f}/s "
            f"(burst {open_burst}), chat.postMessage {args.scale:g}/s per channel (burst 3); {args.backend}; "
            f"the fake's garbage collector {'on' if args.fake_gc else 'off'}\n"
        )
        print(f"{'run':<12}{header}")
        for row in rows:
            print(row)
        print(
            f"\nsent/s: over the whole run; >{args.settle:g}s/s: from {args.settle:g} s in to the last "
            "message (after the pace is learned). of allowed: overall rate / (conversations.open's limit + "
            f"its burst once), and the >{args.settle:g}s rate / the limit. lost: neither sent nor failed; "
            "doubled: messages beyond one per group DM; att: most claims of one notice."
        )
    if grid:
        print(
            f"\nThe pacer against each limiter shape and speed-up: {args.grid_seconds:g} s of intros per "
            f"cell at conversations.open's limit (Tier 3 x scale; token bucket: burst 5; windows: 50 calls a "
            f"minute/scale); {args.backend}\n"
        )
        print(
            f"{'shape':<15}{'scale':>5}{'intros':>7}{'secs':>7}{'sent/s':>8}{'of allowed':>15}{'429s':>6}"
            f"{'429 %':>7}{'lost':>6}{'doubled':>8}"
        )
        for row in grid:
            print(row)
        print(f"\nof allowed: overall, then from {args.settle:g} s in (as above).")


if __name__ == "__main__":
    main()
