"""Busy time per ranking (issue #12): what reading everyone's taken time costs an ask, before (sessions
and lunches: ``session_queries.busy_in``) and now (plus 1:1s: the asker's on either side and every
mentor's asks of other mentors, ``session_time.busy_in_horizon``), on the ask-latency season (10,000
mentors, 50,000 meetings over 13 weeks back and 2 ahead), with 1 in 10 of the held ones ahead asked by a
mentor. Both measured in the same run, warm, interleaved. "ask" is what an ask reads since: everyone's
sessions and lunches and the asker's 1:1s (``mentors_asks=False``), then the offered mentors' 1:1s
(three mentors here; ``session_time.offered_mentors_talks``).

Run: python benchmarks/busy_time.py [--backends sqlite,postgresql] [--mentors 10000] [--rounds 200]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import UTC, datetime

from ask_latency import seed
from bench_support import DEFAULT_PG_URL, percentile, scratch_database
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.db import meeting_queries as mq
from app.db import session_queries as sq
from app.db.engine import create_db_engine
from app.db.models import Meeting
from app.domain.slots import DEFAULT_HORIZON
from app.services.session_time import LONGEST_SESSION, busy_in_horizon


def run(backend: str, mentors: int, rounds: int) -> list[str]:
    now = datetime(2031, 1, 8, 10, 0, tzinfo=UTC)
    rng = random.Random(12)
    with scratch_database(backend, DEFAULT_PG_URL, tag="busy") as url:
        sizes = seed(url, mentors, rng, now)
        engine = create_db_engine(url)
        with engine.begin() as connection:  # 1 in 10 of the held meetings ahead asked by a mentor
            ahead = connection.scalars(
                select(Meeting.id).where(
                    Meeting.start_at > now, Meeting.status.in_(("requested", "confirmed"))
                )
            ).all()
            for meeting_id in ahead[::10]:
                connection.execute(
                    update(Meeting)
                    .where(Meeting.id == meeting_id)
                    .values(asker_id=f"UM{rng.randrange(mentors):05d}")
                )
        if backend == "postgresql":  # statistics, as autovacuum keeps them (the bot never ANALYZEs SQLite)
            with engine.connect() as connection:
                connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")
        before, after, talks, ask = [], [], [], []
        with Session(engine) as session:
            for n in range(rounds):
                asker = f"UA{n % 50:03d}"
                t0 = time.perf_counter()
                sq.busy_in(session, after=now, until=now + DEFAULT_HORIZON, longest=LONGEST_SESSION)
                t1 = time.perf_counter()
                busy_in_horizon(session, now=now, people=[asker])
                t2 = time.perf_counter()
                mq.talk_time_in(session, after=now, until=now + DEFAULT_HORIZON, people=[asker])
                t3 = time.perf_counter()
                busy_in_horizon(session, now=now, people=[asker], mentors_asks=False)
                offered = [f"UM{rng.randrange(mentors):05d}" for _ in range(3)]
                mq.talk_time_in(session, after=now, until=now + DEFAULT_HORIZON, users=offered)
                t4 = time.perf_counter()
                ask.append((t4 - t3) * 1000)
                before.append((t1 - t0) * 1000)
                after.append((t2 - t1) * 1000)
                talks.append((t3 - t2) * 1000)
        engine.dispose()
    rows = []
    for name, figures in (("before", before), ("after", after), ("1:1s", talks), ("ask", ask)):
        rows.append(
            f"{backend:<10} {name:<7} {statistics.median(figures):9.2f} {percentile(figures, 90):8.2f} "
            f"{percentile(figures, 99):8.2f}"
        )
    ratio = statistics.median(after) / statistics.median(before)
    ask_ratio = statistics.median(ask) / statistics.median(before)
    rows.append(
        f"{backend:<10} ratio   {ratio:9.2f}   ask / before {ask_ratio:.2f}   "
        f"({sizes['meetings']} meetings, {len(ahead)} held ahead)"
    )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--mentors", type=int, default=10000)
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    print(f"{'backend':<10} {'read':<7} {'median ms':>9} {'p90 ms':>8} {'p99 ms':>8}")
    for backend in args.backends.split(","):
        for row in run(backend, args.mentors, args.rounds):
            print(row)


if __name__ == "__main__":
    main()
