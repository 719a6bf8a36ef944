"""Cohort matching at program scale: the exact optimum (app.domain.cohorts) beside a greedy.

2,000 mentees x 2,000 mentors under the reverse rules (mentors 2+ levels below, another team), random
teams, levels, interests, own working weeks in 12 time zones and a few avoid wishes, about 30 %
of pairs forbidden. Prints the exact method's time (median of --runs, one process; BLAS threads pinned
to one), its peak traced memory, and beside it a greedy on the same matrices (best pair first, seeded
ties): pairs and total preference points of each.

    python benchmarks/cohort_matching.py            # ~20 s; --size 2000 --runs 3 --seed 1
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import random  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402
from datetime import date  # noqa: E402
from datetime import time as dtime  # noqa: E402

import numpy as np  # noqa: E402

from app.domain.cohort_hours import utc_week  # noqa: E402
from app.domain.cohorts import Adjustments, Applicant, CohortRules, ProgramKind, Role, match_cohort  # noqa: E402
from app.domain.cohorts_rules import cohort_matrices  # noqa: E402
from app.domain.model import WeeklyWindow  # noqa: E402

TAGS = [f"tag{i}" for i in range(40)]
TEAMS = [f"team{i}" for i in range(8)]
ZONES = [
    "America/Los_Angeles",
    "America/Denver",
    "America/New_York",
    "America/Halifax",
    "UTC",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Helsinki",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Australia/Sydney",
]
WEEK_OF = date(2031, 3, 19)  # between the US and EU daylight-saving changes


def working_week(rng: random.Random) -> tuple[tuple[int, int], ...]:
    """A person's own hours: a start of 07:00-10:30, 6-9 hours, four or five days, in a random zone."""
    start = rng.choice(range(7 * 60, 11 * 60, 30))
    length = rng.choice(range(6 * 60, 9 * 60 + 1, 30))
    days = range(5) if rng.random() < 0.8 else rng.sample(range(5), 4)
    windows = [
        WeeklyWindow(d, dtime(start // 60, start % 60), dtime((start + length) // 60, (start + length) % 60))
        for d in days
    ]
    return utc_week(windows, rng.choice(ZONES), WEEK_OF)


PLACES = ["Berlin", "London", "New York", "Toronto", "Bangalore", "Tokyo", "Sydney", "Remote"]


def cohort(size: int, rng: random.Random) -> list[Applicant]:
    people = []
    for role, levels, weights in (
        (Role.MENTOR, [1, 2, 3], [50, 40, 10]),
        (Role.MENTEE, [3, 4, 5], [25, 35, 40]),
    ):
        prefix = "M" if role is Role.MENTOR else "E"
        for k in range(size):
            level = None if rng.random() < 0.02 else rng.choices(levels, weights)[0]
            people.append(
                Applicant(
                    f"{prefix}{k:05d}",
                    role,
                    team=rng.choice(TEAMS),
                    level=level,
                    interests=frozenset(rng.sample(TAGS, rng.randint(1, 5))),
                    location=rng.choice(PLACES),
                    week=working_week(rng),
                    avoid=frozenset(
                        f"{'E' if role is Role.MENTOR else 'M'}{rng.randrange(size):05d}"
                        for _ in range(rng.choice([0, 0, 0, 1, 2]))
                    ),
                )
            )
    return people


def greedy(people: list[Applicant], rules: CohortRules, seed: int) -> tuple[int, int, float]:
    """Best pair first over the same allowed pairs and points; ties in a seeded random order."""
    start = time.perf_counter()
    mentees = sorted((p for p in people if p.role is Role.MENTEE), key=lambda p: p.user_id)
    mentors = sorted((p for p in people if p.role is Role.MENTOR), key=lambda p: p.user_id)
    cm = cohort_matrices(mentees, mentors, rules, Adjustments())
    rows, cols = np.nonzero(cm.allowed)
    points = cm.points[rows, cols]
    tie = np.random.default_rng(seed).random(len(points))
    order = np.lexsort((tie, -points))
    row_free = np.ones(len(mentees), dtype=bool)
    places = np.full(len(mentors), rules.capacity)
    pairs = total = 0
    for k in order.tolist():
        i, j = rows[k], cols[k]
        if row_free[i] and places[j]:
            row_free[i] = False
            places[j] -= 1
            pairs += 1
            total += int(points[k])
    return pairs, total, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rules = CohortRules(ProgramKind.REVERSE, min_level_gap=2, other_team=True, capacity=1)
    people = cohort(args.size, random.Random(args.seed))
    mentees = [p for p in people if p.role is Role.MENTEE]
    mentors = [p for p in people if p.role is Role.MENTOR]

    start = time.perf_counter()
    cm = cohort_matrices(mentees, mentors, rules, Adjustments())
    build = time.perf_counter() - start
    forbidden = 1 - float(cm.allowed.mean())
    del cm

    times = []
    for run in range(args.runs):
        start = time.perf_counter()
        result = match_cohort(people, rules, seed=args.seed + run)
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    match_cohort(people, rules, seed=args.seed)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    g_pairs, g_points, g_time = greedy(people, rules, args.seed)

    print(f"{args.size:,} mentees x {args.size:,} mentors, reverse rules (gap 2, another team)")
    print(f"forbidden pairs: {forbidden:.1%}; rules + points matrices alone: {build:.3f} s")
    print(f"{'method':<8} {'time s':>8} {'pairs':>6} {'points':>8} {'points/pair':>12}")
    ex_pairs, ex_points = len(result.pairs), result.total_points
    print(
        f"{'exact':<8} {statistics.median(times):>8.3f} {ex_pairs:>6} {ex_points:>8} "
        f"{ex_points / ex_pairs:>12.2f}"
    )
    print(f"{'greedy':<8} {g_time:>8.3f} {g_pairs:>6} {g_points:>8} {g_points / g_pairs:>12.2f}")
    print(f"exact times (s): {', '.join(f'{t:.3f}' for t in times)}")
    print(
        f"exact matches {2 * (ex_pairs - g_pairs)} more people ({ex_pairs - g_pairs} pairs) and "
        f"{ex_points - g_points:+,} points ({(ex_points - g_points) / max(g_points, 1):+.1%}) over greedy"
    )
    print(
        f"peak traced memory of one exact run: {peak / 2**20:.1f} MB; process max RSS: "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )


if __name__ == "__main__":
    main()
