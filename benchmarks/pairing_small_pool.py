"""Coffee roulette in a small, stable pool: how many rounds pass before some pair must meet again?

Run: python benchmarks/pairing_small_pool.py [--people 50] [--seeds 5]
     python benchmarks/pairing_small_pool.py --people 100,200,400 --seeds 1 --quick

Rounds run one after another; each round's groups are added to the history and the repeat window
is larger than the run (100), so a round "fails" when it cannot avoid every pair that ever met. With
an even pool of n people the best possible is n - 1 rounds (a round robin); --people 49 shows an
odd pool, where every round has a trio. Three planners, same seeds, same run:

* plan_groups (this project), with pools of plain people and of people with teams, levels and time
  zones (teams of 15, 15 and 20 for 50 people: odd-sized teams are the hard case for a planner that
  prefers cross-team pairs, which would leave them only each other at the end of the cycle);
* shuffle with retries: up to 1,000 random pairings per round, the first without a repeat wins;
* greedy with restarts: a random order, each person takes the first later person they have not met;
  up to 100 restarts per round.

"before #15" rows run plan_groups as it was before issue #15's figures, in the same run: no trio-first
round for odd pools (``odd_cycle``) and the exact method only up to 200 people (the greedy above).
``--quick`` leaves out the shuffle and the greedy with restarts (slow and far behind for 100+ people).
"""

from __future__ import annotations

import argparse
import contextlib
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import app.domain.pairing.exact as exact_method
import app.domain.pairing.planner as planner_module
from app.domain.pairing import PairHistory, PairingPolicy, Participant, plan_groups

WINDOW = 100
SHUFFLE_TRIES = 1_000
GREEDY_RESTARTS = 100

Planner = Callable[[Sequence[Participant], PairHistory, random.Random], list[tuple[str, ...]] | None]


def plain_pool(n: int) -> list[Participant]:
    return [Participant(f"U{i:03d}") for i in range(n)]


def mixed_pool(n: int) -> list[Participant]:
    sizes = [n * 3 // 10 | 1, n * 3 // 10 | 1]  # two odd teams, the rest in a third
    sizes.append(n - sum(sizes))
    pool = []
    for team, size in enumerate(sizes):
        for _ in range(size):
            i = len(pool)
            offset = [-300, 0, 60, 330][i % 4]
            pool.append(
                Participant(f"U{i:03d}", team=f"T{team}", level=1 + i * 7 % 5, utc_offset_minutes=offset)
            )
    return pool


def ours(
    pool: Sequence[Participant], history: PairHistory, rng: random.Random
) -> list[tuple[str, ...]] | None:
    window = max(WINDOW, len(pool) + 1)  # longer than the whole cycle
    plan = plan_groups(pool, history, rng=rng, policy=PairingPolicy(repeat_window=window, mix_levels=True))
    return None if plan.repeats or plan.left_out else [g.members for g in plan.groups]


@contextlib.contextmanager
def before_issue_15() -> Iterator[None]:
    """plan_groups as it was: no trio-first odd rounds, exact only up to 200 people."""
    saved = exact_method.odd_round, planner_module.EXACT_LIMIT
    exact_method.odd_round = lambda *_args, **_kw: None  # type: ignore[assignment]
    planner_module.EXACT_LIMIT = 200
    try:
        yield
    finally:
        exact_method.odd_round, planner_module.EXACT_LIMIT = saved


def before(
    pool: Sequence[Participant], history: PairHistory, rng: random.Random
) -> list[tuple[str, ...]] | None:
    with before_issue_15():
        return ours(pool, history, rng)


def _groups(order: list[str]) -> list[tuple[str, ...]]:
    groups = [tuple(order[i : i + 2]) for i in range(0, len(order) - 1, 2)]
    if len(order) % 2:
        groups[-1] = (*groups[-1], order[-1])
    return groups


def _fresh(history: PairHistory, group: Sequence[str]) -> bool:
    return all(history.rounds_since(a, b) is None for x, a in enumerate(group) for b in group[x + 1 :])


def shuffle_with_retries(
    pool: Sequence[Participant], history: PairHistory, rng: random.Random
) -> list[tuple[str, ...]] | None:
    order = [p.user_id for p in pool]
    for _ in range(SHUFFLE_TRIES):
        rng.shuffle(order)
        groups = _groups(order)
        if all(_fresh(history, g) for g in groups):
            return groups
    return None


def greedy_with_restarts(
    pool: Sequence[Participant], history: PairHistory, rng: random.Random
) -> list[tuple[str, ...]] | None:
    ids = [p.user_id for p in pool]
    for _ in range(GREEDY_RESTARTS):
        rng.shuffle(ids)
        waiting = list(ids)
        groups: list[tuple[str, ...]] = []
        while len(waiting) >= 2:
            a = waiting.pop(0)
            partner = next((b for b in waiting if history.rounds_since(a, b) is None), None)
            if partner is None:
                break
            waiting.remove(partner)
            groups.append((a, partner))
        else:
            if not waiting:
                return groups
            odd = waiting[0]  # an odd pool: the last person joins the first pair that is fresh for them
            for k, g in enumerate(groups):
                if _fresh(history, (*g, odd)):
                    groups[k] = (*g, odd)
                    return groups
    return None


def rounds_until_repeat(planner: Planner, pool: Sequence[Participant], seed: int) -> tuple[int, float]:
    """Rounds planned without a repeat, and the slowest round's planning time in seconds."""
    rng = random.Random(seed)
    history = PairHistory()
    slowest = 0.0
    for _ in range(len(pool) + 1):
        started = time.perf_counter()
        groups = planner(pool, history, rng)
        slowest = max(slowest, time.perf_counter() - started)
        if groups is None:
            break
        history = history.with_round(groups)
    return history.rounds, slowest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", default="50", help="one size or several, comma-separated")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="plan_groups rows only")
    args = parser.parse_args()
    for n in (int(x) for x in args.people.split(",")):
        report(n, args.seeds, quick=args.quick)


def report(n: int, seeds: int, *, quick: bool) -> None:
    # Even: a round robin. Odd: a round uses (n - 3) / 2 pairs and a trio's 3 pairs of the
    # n (n - 1) / 2 there are, so at most n (n - 1) / (n + 3) rounds (an upper bound).
    best = f"{n - 1} rounds" if n % 2 == 0 else f"at most {n * (n - 1) // (n + 3)} rounds"
    window = max(WINDOW, n + 1)
    print(f"{n} people, repeat window {window}, seeds 0..{seeds - 1}; best possible: {best}")
    print(f"{'planner':<24} {'pool':<22} {'rounds until a forced repeat':<34} {'slowest round':>13}")
    rows = [
        ("plan_groups before #15", "plain", before, plain_pool(n)),
        ("plan_groups", "plain", ours, plain_pool(n)),
        ("plan_groups before #15", "3 teams, levels, tz", before, mixed_pool(n)),
        ("plan_groups", "3 teams, levels, tz", ours, mixed_pool(n)),
    ]
    if not quick:
        rows += [
            ("shuffle with retries", "plain", shuffle_with_retries, plain_pool(n)),
            ("greedy with restarts", "plain", greedy_with_restarts, plain_pool(n)),
        ]
    for name, kind, planner, pool in rows:
        results = [rounds_until_repeat(planner, pool, seed) for seed in range(seeds)]
        counts = [r for r, _ in results]
        summary = f"min {min(counts)}, median {statistics.median(counts):g}, max {max(counts)}"
        print(f"{name:<24} {kind:<22} {summary:<34} {max(t for _, t in results):>11.3f} s", flush=True)


if __name__ == "__main__":
    main()
