"""Groups of 4 and coffee with a senior (app.domain.pairing.groups), beside a shuffle in the same run.

Run: python benchmarks/pairing_groups.py [--people 100000] [--runs 3]

1. At scale: ``--people`` people (teams of about 100, levels 1-5, 1 % with a "don't pair" wish) and 12
   rounds of history planned by the same planner; the 13th round is timed (median of ``--runs``), in
   groups of 4 and in senior mode (the 20 % at level 5 are the seniors), with tracemalloc's peak, the
   repeats left (pairs who met within the window of 6), and a plain shuffle into groups of 4 timed and
   counted in the same run as the baseline.
2. A stable pool of 50 in groups of 4, window larger than the run: rounds until some pair must meet
   again, beside the bound (each round gives everyone 3 new people: 49 / 3 -> 16 rounds) and a shuffle
   with up to 1,000 retries per round.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.domain.pairing import PairHistory, Participant
from app.domain.pairing.groups import plan_sized_groups

WINDOW = 6


def pool_of(n: int, rng: random.Random) -> list[Participant]:
    return [
        Participant(f"U{i:06d}", team=f"T{i // 100}", level=5 if rng.random() < 0.2 else rng.randint(1, 4))
        for i in range(n)
    ]


def shuffle_groups(ids: list[str], rng: random.Random, size: int) -> list[tuple[str, ...]]:
    order = ids[:]
    rng.shuffle(order)
    count = -(-len(order) // size)
    return [tuple(order[g::count]) for g in range(count)]


def repeats_in(groups, history: PairHistory, window: int) -> int:
    count = 0
    for g in groups:
        for x, a in enumerate(g):
            for b in g[x + 1 :]:
                since = history.rounds_since(a, b)
                count += since is not None and since <= window
    return count


def at_scale(n: int, runs: int) -> None:
    rng = random.Random(7)
    pool = pool_of(n, rng)
    ids = [p.user_id for p in pool]
    avoid = [(ids[rng.randrange(n)], ids[rng.randrange(n)]) for _ in range(n // 100)]
    rounds = []
    history = PairHistory()
    for r in range(12):
        plan = plan_sized_groups(
            pool, history, rng=random.Random(r), size=4, repeat_window=WINDOW, avoid=avoid
        )
        rounds.append([g.members for g in plan.groups])
        history = PairHistory.from_rounds(rounds[-WINDOW:])
    print(f"{n:,} people, 12 rounds of history ({len(history):,} pairs held)")
    print(
        "  mode              plan s  plan cpu s  shuffle s  peak MB  repeats (ours / shuffle)  left out"
        "  seniors short"
    )
    for mode, level in (("groups of 4", None), ("senior (20 %)", 5)):
        times, cpu, base = [], [], []
        for run in range(runs):
            start, started_cpu = time.perf_counter(), time.process_time()
            plan = plan_sized_groups(
                pool,
                history,
                rng=random.Random(100 + run),
                size=4,
                repeat_window=WINDOW,
                avoid=avoid,
                senior_level=level,
            )
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - started_cpu)  # the machine is shared: CPU time is steadier
            start = time.perf_counter()
            shuffled = shuffle_groups(ids, random.Random(100 + run), 4)
            base.append(time.perf_counter() - start)
        tracemalloc.start()
        plan_sized_groups(
            pool,
            history,
            rng=random.Random(100),
            size=4,
            repeat_window=WINDOW,
            avoid=avoid,
            senior_level=level,
        )
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        print(
            f"  {mode:<16} {statistics.median(times):7.3f}  {statistics.median(cpu):10.3f}"
            f"  {statistics.median(base):9.3f}  {peak:7.1f}"
            f"  {len(plan.repeats):>7} / {repeats_in(shuffled, history, WINDOW):<16}"
            f"  {len(plan.left_out):>8}  {plan.seniors_short:>13}"
        )


def stable_pool(n: int = 50, size: int = 4, seeds: int = 3) -> None:
    pool = [Participant(f"U{i:03d}") for i in range(n)]
    ids = [p.user_id for p in pool]
    bound = (n - 1) // (size - 1)
    ours, shuffles = [], []
    for seed in range(seeds):
        history, rounds = PairHistory(), 0
        while True:
            plan = plan_sized_groups(
                pool, history, rng=random.Random(seed * 1000 + rounds), size=size, repeat_window=999
            )
            if plan.repeats:
                break
            history, rounds = history.with_round([g.members for g in plan.groups]), rounds + 1
        ours.append(rounds)
        rng, history, rounds = random.Random(seed), PairHistory(), 0
        while True:
            for _ in range(1_000):
                groups = shuffle_groups(ids, rng, size)
                if not repeats_in(groups, history, 999):
                    break
            else:
                break
            history, rounds = history.with_round(groups), rounds + 1
        shuffles.append(rounds)
    print(f"stable pool of {n} in groups of {size}: rounds before a forced repeat")
    print(f"  ours {ours}  shuffle (1,000 retries a round) {shuffles}  best possible <= {bound}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    at_scale(args.people, args.runs)
    stable_pool()


if __name__ == "__main__":
    main()
