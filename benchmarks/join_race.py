"""The last seats, clicked at once: ``--people`` (50) signed Join clicks on one ``--seats`` (6) session,
released together over HTTP, to the bot as ``mentorbot run`` serves it, on PostgreSQL by default.

Run: python benchmarks/join_race.py [--people 50] [--seats 6] [--backend postgresql] [--runs 3]

Each click is a thread of this process with its own connection, all waiting on one barrier. Ack time is
the HTTP round trip of one click. Outcomes are read from what the bot answered on each click's
response_url: "You have a seat", "full, so you're on the waitlist", or anything else (an error). The
seats are then counted in the database. In the same run, as a baseline, the same number of concurrent
``/mentor help`` commands (answered in the ack itself, no database) are timed.
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import threading
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from bench_support import DEFAULT_PG_URL, SIGNING_SECRET, percentile, running_bot, scratch_database
from slack_requests import block_actions_body, signed_headers, slash_command_body
from sqlalchemy import func, select

from app.db.models import SessionSeat
from app.domain.formats import Format, SessionPlan, Where
from app.sandbox.standin import FakeSlack
from app.services.people import Person
from app.slack.payloads import SessionRef

HOST = Person("UHOST0001", "Hana Host", "Europe/Berlin")


def _post(base_url: str, body: str) -> tuple[int, float]:
    parts = urlsplit(base_url)
    started = time.perf_counter()
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request("POST", "/slack/events", body=body, headers=signed_headers(SIGNING_SECRET, body))
        status = connection.getresponse().status
    except OSError:
        status = 0
    finally:
        connection.close()
    return status, (time.perf_counter() - started) * 1000


def _at_once(base_url: str, bodies: list[str]) -> list[tuple[int, float]]:
    barrier = threading.Barrier(len(bodies))
    results: list[tuple[int, float]] = [(0, 0.0)] * len(bodies)

    def send(i: int) -> None:
        barrier.wait()
        results[i] = _post(base_url, bodies[i])

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(bodies))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def one_run(fake: FakeSlack, backend: str, people: int, seats: int, run: int) -> dict[str, float]:
    fake.reset()
    users = [f"URACE{run}{i:04d}" for i in range(people)]
    for user_id in [HOST.user_id, *users]:
        fake.add_user(user_id, user_id.lower(), tz="UTC")
    with (
        scratch_database(backend, DEFAULT_PG_URL, tag="joinrace") as url,
        running_bot(fake, url) as (bot, base),
    ):
        bot.services.register.join(HOST, ("python",))
        start = datetime.now(UTC) + timedelta(days=2)
        plan = SessionPlan(Format.GROUP, "Office hours", start, timedelta(minutes=45), seats, Where.ONLINE)
        ref = SessionRef(bot.services.hosting.host(HOST, plan).session_id).encode()
        keys = [f"join-{run}-{i}" for i in range(people)]
        clicks = [
            block_actions_body(u, "join_session", ref, response_url=fake.response_url(k))
            for u, k in zip(users, keys, strict=True)
        ]
        # Warm-up, untimed: Bolt's auth.test (start-up does it in `mentorbot run`) and the first connections.
        _post(base, slash_command_body(text="help", user_id=HOST.user_id))
        acks = _at_once(base, clicks)
        answers = [fake.wait_for(lambda k=k: fake.responses_for(k), timeout=30)[-1] for k in keys]
        texts = [str(a.text or "") for a in answers]
        seated = sum("You have a seat" in t for t in texts)
        waitlisted = sum("on the waitlist" in t for t in texts)
        with bot.engine.connect() as c:
            in_db = c.scalar(
                select(func.count()).select_from(SessionSeat).where(SessionSeat.status == "taken")
            )
        helps = _at_once(base, [slash_command_body(text="help", user_id=u) for u in users])
    times = [ms for _, ms in acks]
    return {
        "seated": seated,
        "waitlisted": waitlisted,
        "errors": people - seated - waitlisted + sum(1 for s, _ in acks if s != 200),
        "taken_in_db": in_db or 0,
        "ack_p50": statistics.median(times),
        "ack_p99": percentile(times, 99),
        "help_p50": statistics.median(ms for _, ms in helps),
        "help_p99": percentile([ms for _, ms in helps], 99),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=50)
    parser.add_argument("--seats", type=int, default=6)
    parser.add_argument("--backend", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"{args.people} Join clicks at once on one {args.seats}-seat session, {args.backend}")
    print("run  seated  waitlisted  errors  taken in db   join ack p50 / p99 ms   help ack p50 / p99 ms")
    with FakeSlack() as fake:
        for run in range(args.runs):
            r = one_run(fake, args.backend, args.people, args.seats, run)
            print(
                f"{run + 1:>3}  {r['seated']:>6.0f}  {r['waitlisted']:>10.0f}  {r['errors']:>6.0f}  "
                f"{r['taken_in_db']:>11.0f}   {r['ack_p50']:>9.1f} / {r['ack_p99']:>6.1f}      "
                f"{r['help_p50']:>9.1f} / {r['help_p99']:>6.1f}"
            )


if __name__ == "__main__":
    main()
