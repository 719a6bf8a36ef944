"""Coffee roulette at scale: plan_groups on 1,000 / 10,000 / 100,000 people with 12 rounds of history.

Run: python benchmarks/pairing_scale.py [--sizes 1000,10000,100000] [--runs 3]

Each pool has teams (about 100 people each, mostly in the team's home time zone), levels 1-5,
UTC offsets from a realistic spread, and a few "don't pair" wishes (1 % of people). The 12 past rounds
are planned by plan_groups itself (seeded), one after another. For the 13th round it reports:

* plan time: median of --runs runs of plan_groups (one process, so one core), history excluded;
* base: median time of a plain baseline in the same run (shuffle, then the first partner among the
  next 7 not met within the window): a yardstick for how busy the (shared) machine was;
* history: time to build PairHistory.from_rounds from the 12 rounds, and the pairs it holds;
* peak memory of one plan_groups call (tracemalloc, a separate run: tracing slows it down);
* repeats within the window (the planner's, and a plain shuffle's for comparison);
* mean shared working hours per group, level-mix share and cross-team share, planner vs shuffle.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import time
import tracemalloc
from collections.abc import Sequence
from itertools import pairwise
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.domain.pairing import (
    PairHistory,
    PairingPolicy,
    Participant,
    is_valid_plan,
    plan_groups,
)

# (UTC offset in minutes, share of teams based there)
OFFSETS = [
    (-480, 0.12), (-420, 0.04), (-360, 0.06), (-300, 0.12), (-180, 0.05), (0, 0.12), (60, 0.18),
    (120, 0.08), (180, 0.03), (330, 0.10), (480, 0.06), (540, 0.03), (600, 0.01),
]  # fmt: skip
LEVELS = [1, 2, 3, 4, 5]
LEVEL_WEIGHTS = [0.25, 0.30, 0.25, 0.15, 0.05]
POLICY = PairingPolicy(repeat_window=6, mix_levels=True)
HISTORY_ROUNDS = 12


def make_pool(n: int, seed: int) -> tuple[list[Participant], list[tuple[str, str]]]:
    rng = random.Random(seed)
    team_count = max(2, n // 100)
    offsets, weights = zip(*OFFSETS, strict=True)
    homes = rng.choices(offsets, weights, k=team_count)
    pool = []
    for i in range(n):
        team = rng.randrange(team_count)
        offset = homes[team] if rng.random() < 0.8 else rng.choices(offsets, weights)[0]
        level = rng.choices(LEVELS, LEVEL_WEIGHTS)[0]
        pool.append(Participant(f"U{i:07d}", team=f"T{team:05d}", level=level, utc_offset_minutes=offset))
    avoid = [(pool[i].user_id, pool[rng.randrange(n)].user_id) for i in rng.sample(range(n), n // 100)]
    return pool, avoid


def overlap_minutes(offsets: Sequence[int]) -> int:
    points = sorted(o % 1440 for o in offsets)
    gaps = [b - a for a, b in pairwise(points)] + [points[0] + 1440 - points[-1]]
    return max(0, 480 - (1440 - max(gaps)))


def quality(groups: Sequence[Sequence[str]], people: dict[str, Participant], history: PairHistory) -> dict:
    repeats = cross = mixed = 0
    overlap = 0
    for g in groups:
        members = [people[u] for u in g]
        cross += len({m.team for m in members}) > 1
        mixed += len({m.level for m in members}) > 1
        overlap += overlap_minutes([m.utc_offset_minutes for m in members])
        for x, a in enumerate(g):
            for b in g[x + 1 :]:
                since = history.rounds_since(a, b)
                repeats += since is not None and since <= POLICY.repeat_window
    count = len(groups)
    return {
        "repeats": repeats,
        "tz_hours": overlap / count / 60,
        "level_mix": mixed / count,
        "cross_team": cross / count,
    }


def shuffle_groups(pool: Sequence[Participant], rng: random.Random) -> list[tuple[str, ...]]:
    ids = [p.user_id for p in pool]
    rng.shuffle(ids)
    return _pairs_of(ids)


def plain_greedy(
    pool: Sequence[Participant], history: PairHistory, rng: random.Random
) -> list[tuple[str, ...]]:
    """The calibration baseline: shuffle, then each person takes the first of the next 7 not met
    within the window (people nobody fits go to a last, unchecked pass). Timed in the same run."""
    ids = [p.user_id for p in pool]
    rng.shuffle(ids)
    index, get = history.index, history.last_met.get
    floor = history.rounds - POLICY.repeat_window + 1
    taken = [False] * len(ids)
    groups: list[tuple[str, ...]] = []
    rest: list[str] = []
    for i, a in enumerate(ids):
        if taken[i]:
            continue
        ha = index.get(a, -1)
        for j in range(i + 1, min(i + 8, len(ids))):
            if taken[j]:
                continue
            hb = index.get(ids[j], -1)
            if ha >= 0 and hb >= 0 and get((ha << 32) | hb if ha < hb else (hb << 32) | ha, 0) >= floor:
                continue
            taken[i] = taken[j] = True
            groups.append((a, ids[j]))
            break
        else:
            rest.append(a)
    groups.extend(_pairs_of(rest))
    return groups


def _pairs_of(ids: list[str]) -> list[tuple[str, ...]]:
    groups = [tuple(ids[i : i + 2]) for i in range(0, len(ids) - 1, 2)]
    if len(ids) % 2 and groups:
        groups[-1] = (*groups[-1], ids[-1])
    return groups


def bench(n: int, runs: int) -> dict:
    pool, avoid = make_pool(n, seed=n)
    people = {p.user_id: p for p in pool}
    rng = random.Random(7)
    rounds: list[list[tuple[str, ...]]] = []
    history = PairHistory()
    for _ in range(HISTORY_ROUNDS):
        plan = plan_groups(pool, history, rng=rng, policy=POLICY, avoid=avoid)
        groups = [g.members for g in plan.groups]
        rounds.append(groups)
        history = history.with_round(groups)
    started = time.perf_counter()
    history = PairHistory.from_rounds(rounds)
    history_seconds = time.perf_counter() - started
    del rounds

    times = []
    baseline = []
    for run in range(runs):
        gc.collect()
        started = time.perf_counter()
        plan = plan_groups(pool, history, rng=random.Random(100 + run), policy=POLICY, avoid=avoid)
        times.append(time.perf_counter() - started)
        gc.collect()
        started = time.perf_counter()
        plain_greedy(pool, history, random.Random(100 + run))
        baseline.append(time.perf_counter() - started)
    assert is_valid_plan(plan, pool, avoid)
    gc.collect()
    tracemalloc.start()
    plan_groups(pool, history, rng=random.Random(100), policy=POLICY, avoid=avoid)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    ours = quality([g.members for g in plan.groups], people, history)
    shuffled = quality(shuffle_groups(pool, random.Random(5)), people, history)
    return {
        "n": n,
        "seconds": statistics.median(times),
        "baseline_seconds": statistics.median(baseline),
        "history_seconds": history_seconds,
        "history_pairs": len(history),
        "peak_mb": peak / 2**20,
        "left_out": len(plan.left_out),
        "exact": plan.exact,
        "ours": ours,
        "shuffle": shuffled,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"policy: {POLICY}; {HISTORY_ROUNDS} rounds of history planned by plan_groups; 1 % avoid wishes")
    head = (
        f"{'people':>8} {'plan s':>7} {'base s':>7} {'hist s':>7} {'pairs held':>10} {'peak MB':>8} "
        f"{'left':>5} {'repeats':>14} {'tz h/group':>14} {'level mix':>14} {'cross-team':>14}"
    )
    print(head)
    print(
        f"{'':>8} {'(median)':>7} {'(median)':>7} {'':>7} {'':>10} {'':>8} {'out':>5}"
        + f"{'ours / shuffle':>15}" * 4
    )
    for n in (int(s) for s in args.sizes.split(",")):
        r = bench(n, args.runs)
        o, s = r["ours"], r["shuffle"]
        print(
            f"{r['n']:>8,} {r['seconds']:>7.3f} {r['baseline_seconds']:>7.3f} {r['history_seconds']:>7.3f} "
            f"{r['history_pairs']:>10,} {r['peak_mb']:>8.1f} {r['left_out']:>5} "
            f"{o['repeats']:>7} / {s['repeats']:<5} {o['tz_hours']:>7.2f} / {s['tz_hours']:<5.2f} "
            f"{o['level_mix']:>7.3f} / {s['level_mix']:<5.3f} "
            f"{o['cross_team']:>7.3f} / {s['cross_team']:<5.3f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
