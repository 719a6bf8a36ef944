"""`/mentor sessions` with a full calendar: ``--sessions`` (5,000) upcoming hosted sessions and
``--mentors`` (10,000) mentors, from a signed slash command to the ephemeral list landing on Slack.

Run: python benchmarks/sessions_listing.py [--sessions 5000] [--mentors 10000] [--lists 300]
     [--backends sqlite,postgresql]

The bot runs as ``mentorbot run`` builds it (waitress, Bolt, the real services) on 127.0.0.1 with the
fake Slack (``app/sandbox/standin/``) in the same process. The database holds the mentors (topics from
300 with a long tail), five offices, and the sessions spread over the next 90 days (formats, online or
in person at an office, 2-7 seats, some full, with their seat and topic rows), then ANALYZE. Lists are
sent one after another by 50 people, as people type them: no filter, a common topic, a rare topic,
``online``, an office's name, and a topic with a place. Latency is from just before the request is sent
to the moment the fake records the POST to the command's response_url (the answer).

Baseline, in the same run and timed the same way: a bare Bolt app that acks and answers through the
response_url (``ask_latency.bare_ack_and_reply``), which is what any answer costs before the bot's work.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from ask_latency import ASKERS, TOPIC_WEIGHTS, TOPICS, ZONES, bare_ack_and_reply
from bench_support import DEFAULT_PG_URL, SIGNING_SECRET, percentile, running_bot, scratch_database, serving
from slack_requests import SlackSender
from sqlalchemy import insert
from sqlalchemy import text as sql

from app.db.engine import create_db_engine
from app.db.models import HostedSession, Member, MentorProfile, MentorTopic, Office, SessionSeat, SessionTopic

OFFICES = [("Berlin", "Europe/Berlin"), ("London", "Europe/London"), ("New York", "America/New_York"),
           ("Tokyo", "Asia/Tokyo"), ("Sydney", "Australia/Sydney")]  # fmt: skip
LISTS = ("", "#t000", "#t250", "online", "Berlin", "#t001 in person")


def seed(url: str, mentors: int, sessions: int, rng: random.Random, now: datetime) -> None:
    engine = create_db_engine(url)
    members, profiles, topics = [], [], []
    for i in range(mentors):
        uid = f"UM{i:05d}"
        members.append(
            dict(user_id=uid, display_name=uid, tz=rng.choice(ZONES), created_at=now, updated_at=now)
        )
        profiles.append(
            dict(user_id=uid, bio="", windows={}, windows_customised=False, capacity_per_week=2,
                 available=True, reverse_ok=True, active=True, joined_at=now, updated_at=now)
        )  # fmt: skip
        for topic in set(rng.choices(TOPICS, TOPIC_WEIGHTS, k=rng.randint(1, 4))):
            topics.append(dict(user_id=uid, topic=topic))
    for i in range(ASKERS):
        uid = f"UA{i:03d}"
        members.append(
            dict(user_id=uid, display_name=uid, tz=rng.choice(ZONES), created_at=now, updated_at=now)
        )
    offices = [dict(id=k + 1, name=name, tz=tz, created_at=now) for k, (name, tz) in enumerate(OFFICES)]
    rows, seats, session_topics = [], [], []
    for n in range(sessions):
        fmt, where = rng.choice([("group", "online"), ("group", "in_person"), ("lunch", "in_person"),
                                 ("coworking", "online"), ("coworking", "in_person")])  # fmt: skip
        total = rng.randint(2, 7)
        taken = rng.choice([0, 1, total // 2, total])
        start = now + timedelta(hours=2) + timedelta(minutes=15 * rng.randrange(90 * 24 * 4))
        chosen = sorted(set(rng.choices(TOPICS, TOPIC_WEIGHTS, k=rng.randint(1, 3))))
        rows.append(
            dict(id=n + 1, host_id=f"UM{rng.randrange(mentors):05d}", format=fmt, title=f"Session {n}",
                 topics=f",{','.join(chosen)},", start_at=start, minutes=60, seats=total, taken=taken,
                 where=where, link=None, place="Room 1" if where == "in_person" else None,
                 office_id=rng.randint(1, len(OFFICES)) if where == "in_person" else None, description="",
                 status="open", sequence=0, check_ins=False, created_at=now, updated_at=now)
        )  # fmt: skip
        session_topics.extend(dict(session_id=n + 1, topic=topic, start_at=start) for topic in chosen)
        for user in rng.sample(range(mentors), taken):
            seats.append(
                dict(session_id=n + 1, user_id=f"UM{user:05d}", status="taken", since=now, taken_at=now)
            )
    with engine.begin() as connection:
        for table, batch in ((Member, members), (MentorProfile, profiles), (MentorTopic, topics),
                             (Office, offices), (HostedSession, rows), (SessionSeat, seats),
                             (SessionTopic, session_topics)):  # fmt: skip
            for chunk in range(0, len(batch), 5000):
                connection.execute(insert(table), batch[chunk : chunk + 5000])
    with engine.begin() as connection:
        # The statistics a live database has (PostgreSQL's autovacuum gathers them within a minute of a
        # bulk load, so without this they would appear, and the plans change, in the middle of the run).
        connection.execute(sql("ANALYZE"))
    engine.dispose()


def timed(sender: SlackSender, fake: Any, text: str, user: str) -> tuple[float, str]:
    sent = time.time()
    reply = sender.command(text, user_id=user)
    assert reply.status == 200, reply
    key = sender.last_response_key
    assert key is not None
    answers = fake.wait_for(lambda: fake.responses_for(key), timeout=30, interval=0.001)
    return answers[-1].time - sent, str(answers[-1].blocks)


def run_backend(backend: str, args: argparse.Namespace) -> dict[str, Any]:
    rng = random.Random(args.seed)
    now = datetime.now(UTC)
    with scratch_database(backend, args.pg_url, tag="bench_sessions") as url:
        from app.sandbox.standin import FakeSlack

        with FakeSlack() as fake:
            started = time.perf_counter()
            seed(url, args.mentors, args.sessions, rng, now)
            seed_s = time.perf_counter() - started
            for i in range(ASKERS):
                fake.add_user(f"UA{i:03d}", f"person{i}", tz=ZONES[i % len(ZONES)])
            timings: dict[str, list[float]] = {text: [] for text in LISTS}
            listed = 0
            with running_bot(fake, url) as (_, base_url):
                sender = SlackSender(base_url, SIGNING_SECRET, fake=fake)
                for n in range(ASKERS):  # warm-up: users.info, the first connections
                    timed(sender, fake, "sessions", f"UA{n:03d}")
                for n in range(args.lists):
                    text = LISTS[n % len(LISTS)]
                    seconds, blocks = timed(sender, fake, f"sessions {text}".strip(), f"UA{n % ASKERS:03d}")
                    timings[text].append(seconds)
                    listed += "join_session" in blocks
                assert not fake.crashes, fake.crashes
            bare: list[float] = []
            with serving(bare_ack_and_reply(fake)) as bare_url:
                bare_sender = SlackSender(bare_url, SIGNING_SECRET, fake=fake)
                for n in range(ASKERS + args.lists):
                    seconds, _ = timed(bare_sender, fake, "sessions", f"UA{n % ASKERS:03d}")
                    if n >= ASKERS:
                        bare.append(seconds)
    every = [t for text in LISTS for t in timings[text]]
    return {"backend": backend, "seed_s": seed_s, "listed": listed, "timings": timings, "every": every,
            "bare": bare}  # fmt: skip


def ms(values: list[float], p: float) -> float:
    return percentile(values, p) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=5000)
    parser.add_argument("--mentors", type=int, default=10000)
    parser.add_argument("--lists", type=int, default=300)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(
        f"/mentor sessions: {args.sessions:,} upcoming sessions, {args.mentors:,} mentors, {args.lists} lists"
    )
    for backend in args.backends.split(","):
        r = run_backend(backend, args)
        print(
            f"\n{backend}: seeded in {r['seed_s']:.1f} s; "
            f"{r['listed']} of {args.lists} lists had Join buttons"
        )
        print("  list                      p50 ms   p99 ms")
        for text, values in r["timings"].items():
            print(f"  {('sessions ' + text).strip():<24} {ms(values, 50):>7.1f}  {ms(values, 99):>7.1f}")
        print(f"  {'all':<24} {ms(r['every'], 50):>7.1f}  {ms(r['every'], 99):>7.1f}   (target: p99 < 50 ms)")
        print(f"  {'baseline: bare ack+reply':<24} {ms(r['bare'], 50):>7.1f}  {ms(r['bare'], 99):>7.1f}")
        print(f"  mean all {statistics.fmean(r['every']) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
