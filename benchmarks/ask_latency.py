"""Ask latency: ``/mentor ask`` from a signed HTTP request to the ephemeral answer landing on Slack.

Run: python benchmarks/ask_latency.py [--quick] [--backends sqlite,postgresql] [--mentors 10000] [--asks 400]

The bot runs as ``mentorbot run`` builds it (waitress, Bolt, the real services), on 127.0.0.1, with a
fake Slack Web API (``app/sandbox/standin/``) in the same process. The database holds ``--mentors``
mentors (topics drawn from 300 with a long tail, a dozen time zones, some custom windows, capacities
1-4, a few unavailable, away or gone) and a season of bookings: 13 weeks of past conversations and two
weeks of held slots ahead. Asks are sent one after another by 50 askers (users.info is cached after
each asker's first ask, which is a warm-up and not timed):

* ``topic``   one or two topics that mentors cover (most asks look like this);
* ``none``    no topic: every mentor competes;
* ``unknown`` a topic nobody covers: the best others are offered.

Latency is from just before the request is sent to the moment the fake records the POST to the
command's response_url (the ephemeral answer with the offers).

Each bot process keeps the register in memory (``app.services.register_cache``), so two more figures
show what that costs: the very first ask after start-up (it loads the register; it also waits for
users.info), and ``--after-booking`` more asks that each follow a booking committed through another
connection, as another replica would (each of those asks catches up one change).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from bench_support import (
    DEFAULT_PG_URL,
    SIGNING_SECRET,
    percentile,
    running_bot,
    scratch_database,
    serving,
)
from slack_requests import SlackSender
from sqlalchemy import Engine, insert, text
from sqlalchemy.exc import IntegrityError

from app.db.engine import create_db_engine
from app.db.models import Ask, Meeting, Member, MentorProfile, MentorTopic
from app.sandbox.standin import FakeSlack
from app.slack.http import create_wsgi_app

ZONES = [
    "America/Los_Angeles",
    "America/Denver",
    "America/Chicago",
    "America/New_York",
    "America/Sao_Paulo",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Helsinki",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Australia/Sydney",
]
TOPICS = [f"t{i:03d}" for i in range(300)]
TOPIC_WEIGHTS = [1 / (rank + 1) for rank in range(len(TOPICS))]
CUSTOM_WINDOWS = [
    {"windows": [[d, f"{h:02d}:00", f"{h + span:02d}:00"] for d in days]}
    for h in (7, 8, 10, 13)
    for span in (2, 4)
    for days in ((0, 2, 4), (1, 3), (0, 1, 2, 3))
]
ASKERS = 50
KINDS = ("topic", "none", "unknown")


def seed(url: str, mentors: int, rng: random.Random, now: datetime) -> dict[str, int]:
    """Mentors, askers and a season of asks and meetings, with Core bulk inserts."""
    engine = create_db_engine(url)
    members, profiles, topics = [], [], []
    for i in range(mentors):
        uid = f"UM{i:05d}"
        members.append(
            dict(
                user_id=uid,
                display_name=uid,
                tz=rng.choice(ZONES),
                team=f"team{i // 100}",
                level=rng.randint(1, 5),
                created_at=now,
                updated_at=now,
            )
        )
        custom = rng.random() < 0.2
        profiles.append(
            dict(
                user_id=uid,
                bio="",
                windows=rng.choice(CUSTOM_WINDOWS) if custom else {},
                windows_customised=custom,
                capacity_per_week=rng.randint(1, 4),
                available=rng.random() > 0.05,
                away_until=now + timedelta(days=rng.randint(1, 30)) if rng.random() < 0.03 else None,
                reverse_ok=rng.random() < 0.7,
                active=rng.random() > 0.02,
                joined_at=now - timedelta(days=120),
                updated_at=now,
            )
        )
        for topic in set(rng.choices(TOPICS, TOPIC_WEIGHTS, k=rng.randint(1, 4))):
            topics.append(dict(user_id=uid, topic=topic))
    for i in range(ASKERS):
        uid = f"UA{i:03d}"
        members.append(
            dict(user_id=uid, display_name=uid, tz=rng.choice(ZONES), team="askers", level=rng.randint(1, 5),
                 created_at=now, updated_at=now)
        )  # fmt: skip

    # A season: 13 weeks back, 2 weeks ahead. Past conversations keep their hold (as confirmed ones
    # do); declined, expired and cancelled ones released theirs.
    asks, meetings = [], []
    taken: set[tuple[str, datetime]] = set()
    quarter = now - timedelta(minutes=now.minute % 15, seconds=now.second, microseconds=now.microsecond)
    start_of_season = quarter - timedelta(weeks=13)
    for n in range(mentors * 5):
        mentor = f"UM{rng.randrange(mentors):05d}"
        offset_slots = rng.randrange(int(timedelta(weeks=15) / timedelta(minutes=15)))
        start = start_of_season + timedelta(minutes=15 * offset_slots)
        if (mentor, start) in taken:
            continue
        taken.add((mentor, start))
        ask_id = len(asks) + 1
        future = start > now
        if future:
            status = rng.choice(["requested", "confirmed", "confirmed", "confirmed"])
        else:
            status = rng.choices(["confirmed", "declined", "expired", "cancelled"], [7, 1, 1, 1])[0]
        holds = status in ("requested", "confirmed")
        asker = f"UA{rng.randrange(ASKERS):03d}"
        asks.append(
            dict(id=ask_id, asker_id=asker, goal=f"goal {n}", topics={"topics": [rng.choice(TOPICS)]},
                 status="closed" if not future else status, created_at=start - timedelta(days=2),
                 updated_at=start - timedelta(days=2))
        )  # fmt: skip
        meetings.append(
            dict(ask_id=ask_id, active_ask_id=ask_id if status == "requested" else None, asker_id=asker,
                 mentor_id=mentor, start_at=start, hold_start=start if holds else None, status=status,
                 expires_at=start - timedelta(days=1), requested_at=start - timedelta(days=2),
                 responded_at=None, cancelled_by=None, feedback_requested_at=None)
        )  # fmt: skip
    with engine.begin() as connection:
        for table, rows in (
            (Member, members),
            (MentorProfile, profiles),
            (MentorTopic, topics),
            (Ask, asks),
            (Meeting, meetings),
        ):
            for chunk in range(0, len(rows), 5000):
                connection.execute(insert(table), rows[chunk : chunk + 5000])
        if connection.dialect.name == "postgresql":  # the ids above were explicit
            connection.execute(text("SELECT setval(pg_get_serial_sequence('asks', 'id'), max(id)) FROM asks"))
    if engine.dialect.name == "postgresql":
        # Statistics, as autovacuum keeps them on a database that has been up a while: without them
        # the planner takes a freshly loaded table for empty and picks its plans accordingly. (SQLite
        # keeps none unless ANALYZE is run, and the bot does not run it.)
        with engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
    engine.dispose()
    return {"mentors": mentors, "topic rows": len(topics), "meetings": len(meetings)}


def book_somebody(engine: Engine, rng: random.Random, mentors: int, now: datetime) -> None:
    """A new request holding a free slot of a random mentor, committed as another replica would."""
    quarter = now - timedelta(minutes=now.minute % 15, seconds=now.second, microseconds=now.microsecond)
    while True:
        start = quarter + timedelta(minutes=15 * rng.randrange(4, 14 * 96))
        try:
            with engine.begin() as connection:
                ask_id = connection.execute(
                    insert(Ask).returning(Ask.id),
                    dict(
                        asker_id="UA000",
                        goal="booked elsewhere",
                        topics={"topics": []},
                        status="requested",
                        created_at=now,
                        updated_at=now,
                    ),
                ).scalar_one()
                mentor_id = f"UM{rng.randrange(mentors):05d}"
                meeting = dict(ask_id=ask_id, active_ask_id=ask_id, asker_id="UA000", mentor_id=mentor_id)
                meeting |= dict(start_at=start, hold_start=start, status="requested", expires_at=start)
                connection.execute(insert(Meeting), meeting | dict(requested_at=now))
            return
        except IntegrityError:
            continue  # that mentor already holds that slot: pick another


def ask_text(kind: str, rng: random.Random, n: int) -> str:
    if kind == "topic":
        picked = set(rng.choices(TOPICS[:100], TOPIC_WEIGHTS[:100], k=rng.choice((1, 1, 2))))
        return f"Question number {n} " + " ".join(f"#{t}" for t in sorted(picked))
    if kind == "unknown":
        return f"Question number {n} #nobody-knows-{n}"
    return f"Question number {n}, any topic"


def run_backend(backend: str, args: argparse.Namespace) -> dict[str, Any]:
    rng = random.Random(args.seed)
    now = datetime.now(UTC)
    with scratch_database(backend, args.pg_url, tag="bench_ask") as url, FakeSlack() as fake:
        started = time.perf_counter()
        sizes = seed(url, args.mentors, rng, now)
        seed_s = time.perf_counter() - started
        for i in range(ASKERS):
            fake.add_user(f"UA{i:03d}", f"asker{i}", tz=ZONES[i % len(ZONES)])
        other_replica = create_db_engine(url)
        with running_bot(fake, url) as (_, base_url):
            sender = SlackSender(base_url, SIGNING_SECRET, fake=fake)

            def timed_ask(kind: str, n: int) -> tuple[float, bool]:
                sent = time.time()
                reply = sender.command("ask " + ask_text(kind, rng, n), user_id=f"UA{n % ASKERS:03d}")
                assert reply.status == 200, reply
                key = sender.last_response_key
                assert key is not None
                answers = fake.wait_for(lambda: fake.responses_for(key), timeout=30, interval=0.001)
                return answers[-1].time - sent, "pick_slot" in str(answers[-1].blocks)

            kinds = [KINDS[0]] * 14 + [KINDS[1]] * 3 + [KINDS[2]] * 3  # 70 % / 15 % / 15 %
            timings: dict[str, list[float]] = {kind: [] for kind in KINDS}
            after_booking: list[float] = []
            offers = 0
            first, _ = timed_ask(KINDS[0], 0)  # loads the register; users.info for this asker too
            for n in range(1, ASKERS):
                timed_ask(KINDS[0], n)  # warm-up: users.info is cached after each asker's first ask
            for n in range(ASKERS, ASKERS + args.asks):
                kind = kinds[n % len(kinds)]
                seconds, offered = timed_ask(kind, n)
                timings[kind].append(seconds)
                offers += offered
            for n in range(ASKERS + args.asks, ASKERS + args.asks + args.after_booking):
                book_somebody(other_replica, rng, args.mentors, now)
                after_booking.append(timed_ask(kinds[n % len(kinds)], n)[0])
            assert not fake.crashes, fake.crashes
        other_replica.dispose()
        # The baseline, in the same run and served the same way: a bare Bolt app that acks and answers
        # through the response_url, timed from the same sender to the same fake.
        bare: list[float] = []
        with serving(bare_ack_and_reply(fake)) as bare_url:
            bare_sender = SlackSender(bare_url, SIGNING_SECRET, fake=fake)
            for n in range(ASKERS + args.asks):
                sent = time.time()
                reply = bare_sender.command("ask " + ask_text("topic", rng, n), user_id=f"UA{n % ASKERS:03d}")
                assert reply.status == 200, reply
                bare_key = bare_sender.last_response_key
                assert bare_key is not None
                answers = fake.wait_for(
                    lambda key=bare_key: fake.responses_for(key), timeout=30, interval=0.001
                )
                if n >= ASKERS:  # the same warm-up as the bot's
                    bare.append(answers[-1].time - sent)
    every = [t for kind in KINDS for t in timings[kind]]
    return {
        "backend": backend,
        "seed_s": seed_s,
        "sizes": sizes,
        "timings": timings,
        "all": every,
        "offers": offers,
        "first": first,
        "after booking": after_booking,
        "bare": bare,
    }


def bare_ack_and_reply(fake: FakeSlack) -> Any:
    """A Bolt app whose one listener acks, then answers through response_url (no database, no ranking)."""
    from slack_bolt import App

    app = App(
        client=fake.client(),
        signing_secret=SIGNING_SECRET,
        token_verification_enabled=False,
        process_before_response=False,
    )

    @app.command("/mentor")
    def ack_and_reply(ack: Any, respond: Any) -> None:
        ack()
        respond(response_type="ephemeral", text="Here are your options.")

    return create_wsgi_app(app, lambda: True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--mentors", type=int, default=10_000)
    parser.add_argument("--asks", type=int, default=400)
    parser.add_argument("--after-booking", type=int, default=200, help="asks that each follow a booking")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL)
    parser.add_argument("--quick", action="store_true", help="SQLite only, 200 asks, 50 after bookings")
    args = parser.parse_args()
    if args.quick:
        args.backends, args.asks, args.after_booking = "sqlite", 200, 50

    results = [run_backend(backend, args) for backend in args.backends.split(",")]
    print()
    for r in results:
        s = r["sizes"]
        print(
            f"{r['backend']}: {s['mentors']:,} mentors, {s['topic rows']:,} topic rows, "
            f"{s['meetings']:,} meetings; seeded in {r['seed_s']:.1f} s; {r['offers']} of "
            f"{len(r['all'])} answers had offers"
        )
    print()
    print(f"{'backend':<11}{'asks':<9}{'n':>5}{'median ms':>11}{'p90 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    for r in results:
        rows = [(kind, r["timings"][kind]) for kind in KINDS] + [("all", r["all"])]
        rows += [("booked", r["after booking"])] if r["after booking"] else []
        rows += [("bare", r["bare"])]
        for kind, values in rows:
            ms = [v * 1000 for v in values]
            print(
                f"{r['backend']:<11}{kind:<9}{len(ms):>5}{statistics.median(ms):>11.1f}"
                f"{percentile(ms, 90):>9.1f}{percentile(ms, 99):>9.1f}{max(ms):>9.1f}"
            )
    print()
    print("booked: each ask follows a booking committed by another connection (one change to catch up)")
    print("bare: a bare Bolt app's ack-and-reply (ack, then respond() to the response_url), same run")
    for r in results:
        ratio = percentile(r["all"], 99) / percentile(r["bare"], 99)
        print(f"{r['backend']}: ask p99 / bare Bolt ack-and-reply p99 = {ratio:.2f} (target at most 3)")
    for r in results:
        print(
            f"{r['backend']}: the first ask after start-up (it loads the register) took "
            f"{r['first'] * 1000:.0f} ms"
        )


if __name__ == "__main__":
    main()
