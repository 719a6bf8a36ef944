"""An odd pool's round late in its cycle: a fresh trio and a perfect matching of everyone else.

Each round of an odd pool of n uses (n - 3) / 2 pairs and a trio's 3 pairs, so a stable pool of 51
has at most 47 rounds before someone must meet again (1,275 pairs, 27 a round). Matching n - 1 people
and then fitting the single one into a pair (the general exact method) can paint itself into a
corner: late in the cycle the single person's fresh partners are rarely paired with each other. Here
the trio comes first: a triangle of the "not met yet" graph among those with the most fresh partners
left (a trio uses up two of each member's, a pair one, so this keeps the graph near regular), then a
perfect matching of the rest (rustworkx). Once anyone is down to :data:`LOOKAHEAD_DEGREE` fresh partners,
several such rounds are drawn and the one whose random continuation lasts longest is kept.
Measured (benchmarks/pairing_small_pool.py): 51 people 46 rounds (bound 47), 49 people 44 (bound 45).

Pure; works on local indices 0 .. n-1 and the fresh pairs as (i, j, preference points).
"""

from __future__ import annotations

import random
from collections.abc import Callable

from app.domain.graphs import max_weight_matching

# Triangles tried per round (each a matching of the rest), and how many are enumerated to choose from.
TRIO_TRIES = 60
TRIANGLES_LISTED = 3_000
# Lookahead: from this many fresh partners (the fewest anyone has) on, LOOKAHEAD_DRAWS candidate rounds
# are each followed by a random continuation, with ROLLOUT_TRIES trios tried per continued round.
LOOKAHEAD_DEGREE = 14
LOOKAHEAD_DRAWS = 12
ROLLOUT_TRIES = 20
# Above this pool size the lookahead is skipped (its cost grows with n^3 per continued round).
LOOKAHEAD_MAX_PEOPLE = 121

Weigh = Callable[[int, int, int], int]  # (i, j, preference points) -> matching weight
Round = list[tuple[int, ...]]


def odd_round(n: int, fresh: list[tuple[int, int, int]], weigh: Weigh, rng: random.Random) -> Round | None:
    """Pairs and one trio covering 0 .. n-1 (n odd) using fresh pairs only, or None if none was found.

    ``weigh`` turns a pair's preference points into its matching weight (it may draw from ``rng``).
    """
    adjacency: list[set[int]] = [set() for _ in range(n)]
    points: dict[tuple[int, int], int] = {}
    for i, j, s in fresh:
        adjacency[i].add(j)
        adjacency[j].add(i)
        points[(i, j) if i < j else (j, i)] = s
    if n < 3 or min(len(a) for a in adjacency) < 1:
        return None
    first = _one_round(n, adjacency, points, weigh, rng, TRIO_TRIES)
    if first is None or n > LOOKAHEAD_MAX_PEOPLE or min(len(a) for a in adjacency) > LOOKAHEAD_DEGREE:
        return first
    best, best_length = first, _rollout(n, _without(adjacency, first), rng)
    for _ in range(LOOKAHEAD_DRAWS - 1):
        candidate = _one_round(n, adjacency, points, weigh, rng, TRIO_TRIES)
        if candidate is None:
            continue
        length = _rollout(n, _without(adjacency, candidate), rng)
        if length > best_length:
            best, best_length = candidate, length
    return best


def _one_round(
    n: int,
    adjacency: list[set[int]],
    points: dict[tuple[int, int], int],
    weigh: Weigh,
    rng: random.Random,
    tries: int,
) -> Round | None:
    """A trio among those with the most fresh partners, then a perfect matching of the others."""
    for trio in _trios(n, adjacency, rng)[:tries]:
        rest = [v for v in range(n) if v not in trio]
        local = {v: k for k, v in enumerate(rest)}
        edges = []
        for v in rest:
            for w in adjacency[v]:
                if v < w and w in local:
                    edges.append((local[v], local[w], weigh(v, w, points[(v, w)])))
        mate = max_weight_matching(len(rest), edges, max_cardinality=True)
        if all(m >= 0 for m in mate):
            pairs: Round = [(rest[k], rest[m]) for k, m in enumerate(mate) if k < m]
            return [*pairs, trio]
    return None


def _trios(n: int, adjacency: list[set[int]], rng: random.Random) -> list[tuple[int, int, int]]:
    """Fresh triangles, the largest sum of fresh partners first (random among equals)."""
    degree = [len(a) for a in adjacency]
    order = list(range(n))
    rng.shuffle(order)
    order.sort(key=lambda v: -degree[v])  # stable: random among equals
    rank = {v: k for k, v in enumerate(order)}
    found: list[tuple[int, float, tuple[int, int, int]]] = []
    for a in order:
        later = sorted((b for b in adjacency[a] if rank[b] > rank[a]), key=rank.__getitem__)
        for x, b in enumerate(later):
            for c in later[x + 1 :]:
                if c in adjacency[b]:
                    found.append((-(degree[a] + degree[b] + degree[c]), rng.random(), (a, b, c)))
            if len(found) >= TRIANGLES_LISTED:
                break
        if len(found) >= TRIANGLES_LISTED:
            break
    found.sort()
    return [t for _, _, t in found]


def _without(adjacency: list[set[int]], groups: Round) -> list[set[int]]:
    """The fresh graph once ``groups`` have met."""
    left = [set(a) for a in adjacency]
    for g in groups:
        for x, v in enumerate(g):
            for w in g[x + 1 :]:
                left[v].discard(w)
                left[w].discard(v)
    return left


def _rollout(n: int, adjacency: list[set[int]], rng: random.Random) -> int:
    """How many more rounds a random continuation plans without a repeat (changes ``adjacency``)."""
    rounds = 0
    while min(len(a) for a in adjacency) >= 1:
        points = {(v, w): 0 for v in range(n) for w in adjacency[v] if v < w}
        groups = _one_round(
            n, adjacency, points, lambda _i, _j, _s: rng.randrange(1 << 16), rng, ROLLOUT_TRIES
        )
        if groups is None:
            break
        adjacency = _without(adjacency, groups)
        rounds += 1
    return rounds
