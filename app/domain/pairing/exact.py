"""The exact method for pools of up to EXACT_LIMIT people: a matching on the allowed pairs."""

from __future__ import annotations

import random

from app.domain.graphs import MAX_WEIGHT, max_weight_matching, one_factorization
from app.domain.pairing.odd_cycle import odd_round
from app.domain.pairing.scoring import Pool

# Pools up to this size are matched exactly. The matching (rustworkx, compiled) is O(n^3) but fast:
# on a busy development machine a whole plan of 100 people took 25-50 ms, where the pure-Python
# blossom it replaced took 0.12-0.9 s in the same runs; 200 people take 0.05-0.3 s, 400 people 0.1-0.8 s
# (the dense first rounds of a cycle the slowest; about half is the O(n^2) scoring of every pair).
# Beyond it the greedy pass (O(n * LOOK_AHEAD)) takes over. Raised from 200 to 400 (#15): a stable pool
# of 400 then goes 397 of its 399 rounds before a forced repeat, against 386 for the greedy
# (benchmarks/pairing_small_pool.py --people 400). The greedy's exact tail keeps 200 (greedy.TAIL_LIMIT).
EXACT_LIMIT = 400
# A 1-factorization of the "not met yet" graph is searched for when it is regular of at most this
# degree (the last rounds of a stable even pool), within FACTOR_BUDGET search steps.
FACTOR_MAX_DEGREE = 8
FACTOR_BUDGET = 4_000
# "Cycle mode" (see _cycle_mode): from when the fewest fresh partners is at most this share of n - 1,
# preferences weigh _CYCLE_BIAS against a random 0 .. _JITTER * (top + 1) per pair.
_CYCLE_DEGREE_SHARE = (3, 4)
_CYCLE_BIAS = 8
_JITTER = 64  # random tie-break between equally good pairs, below every preference


def plan_exact(
    ctx: Pool, members: list[int], rng: random.Random, *, trio: bool = True
) -> tuple[list[tuple[int, ...]], list[int]]:
    """Groups (tuples of pool positions) and the people left over, for at most EXACT_LIMIT people.

    With ``trio`` False nobody is added to a pair: whoever the matching leaves single is returned
    as left over (the caller places them later).
    """
    n = len(members)
    if n < 2:
        return [], list(members)
    floor = ctx.floor
    # Every allowed pair as (i, j, last round met, preference score), in local indices.
    candidates = []
    for i in range(n):
        p = members[i]
        for j in range(i + 1, n):
            q = members[j]
            if ctx.allowed(p, q):
                candidates.append((i, j, ctx.met(p, q), ctx.score(p, q)))
    fresh = [(i, j, s) for i, j, t, s in candidates if t < floor]

    degree = [0] * n  # fresh partners each person has left
    for i, j, _ in fresh:
        degree[i] += 1
        degree[j] += 1
    if n % 2 and trio and _cycle_mode(ctx, n, degree) and not any(ctx.first[p] for p in members):
        # An odd pool late in a long cycle: trio first, among those with the most fresh partners.
        top = ctx.top + 1
        local = odd_round(n, fresh, lambda _i, _j, s: rng.randrange(_JITTER) * top + s * _CYCLE_BIAS, rng)
        if local is not None:
            return [tuple(members[i] for i in g) for g in local], []
    pairs = _factor_round(n, fresh, rng) if n % 2 == 0 else None
    if pairs is None:
        unit = _JITTER * (n // 2 + 1)  # the jitter of a whole matching stays below one point
        edges = _first_in_line(ctx, members, _fresh_edges(ctx, n, fresh, degree, unit, rng))
        mate = max_weight_matching(n, edges, max_cardinality=True)
        if sum(1 for v in mate if v >= 0) < n - n % 2:
            candidates, tier = _repeat_tiers(ctx, members, candidates, unit)
            edges = _first_in_line(ctx, members, _tiered_edges(n, candidates, tier, ctx, unit, rng))
            mate = max_weight_matching(n, edges, max_cardinality=True)
        pairs = [(i, mate[i]) for i in range(n) if i < mate[i]]
    paired = {i for pair in pairs for i in pair}
    groups: list[tuple[int, ...]] = [(members[i], members[j]) for i, j in pairs]
    single = [members[i] for i in range(n) if i not in paired]
    if trio and single:
        single = _add_one(ctx, groups, single, dict(zip(members, degree, strict=True)))
    return groups, single


def _first_in_line(
    ctx: Pool, members: list[int], edges: list[tuple[int, int, int]]
) -> list[tuple[int, int, int]]:
    """Edges of first-in-line people outweigh every other consideration, per such person covered.

    A maximum-cardinality matching of the highest weight then covers as many of them as any matching
    can (augmenting a matching keeps whoever it covers covered, so covering the most of them costs no
    cardinality). Unchanged when nobody is first in line."""
    first = [ctx.first[p] for p in members]
    if not edges or not any(first):
        return edges
    bonus = (max(w for _, _, w in edges) + 1) * (len(members) // 2 + 1)
    return [(i, j, w + bonus * (first[i] + first[j])) for i, j, w in edges]


def _fresh_edges(
    ctx: Pool, n: int, fresh: list[tuple[int, int, int]], degree: list[int], unit: int, rng: random.Random
) -> list[tuple[int, int, int]]:
    """Weights for the pairs that have not met: preferences, then a random tie-break.

    In cycle mode (:func:`_cycle_mode`) the random part dominates instead. In an odd pool, above
    both: leave single (for the trio) the person with the most fresh partners left, so that the
    extra partners a trio uses up fall on those who have most to spare.
    """
    if _cycle_mode(ctx, n, degree):
        per_pair = [rng.randrange(_JITTER) * (ctx.top + 1) + s * _CYCLE_BIAS for _, _, s in fresh]
        span = (_JITTER + _CYCLE_BIAS) * (ctx.top + 1)
    else:
        per_pair = [s * unit + rng.randrange(_JITTER) for _, _, s in fresh]
        span = (ctx.top + 1) * unit
    if n % 2 == 0:
        return [(i, j, w) for (i, j, _), w in zip(fresh, per_pair, strict=True)]
    most = max(degree)
    balance = span * (n // 2 + 1)  # above the preferences of a whole matching
    return [
        (i, j, w + (2 * most - degree[i] - degree[j]) * balance)
        for (i, j, _), w in zip(fresh, per_pair, strict=True)
    ]


def _cycle_mode(ctx: Pool, n: int, degree: list[int]) -> bool:
    """Whether preferences should only tilt a random draw, to keep a long cycle completable.

    When the window (nearly) spans a whole cycle of n - 1 rounds, everyone meets nearly everyone once
    per window whatever the order: preferences only reorder the cycle. Followed greedily to the end
    they use up the preferred pairs first and strand odd-sized teams (two teams of 25: a forced
    repeat after 25 rounds instead of 49). So once everyone has met a quarter of the pool (the
    fewest fresh partners <= 3/4 of n - 1), the weights are mostly random, which keeps the fresh
    pairs unstructured until the 1-factorization takes over. Before that, and with short windows,
    preferences rule.
    """
    if ctx.window + FACTOR_MAX_DEGREE < n - 1:
        return False
    return min(degree) * _CYCLE_DEGREE_SHARE[1] <= (n - 1) * _CYCLE_DEGREE_SHARE[0]


def _tiered_edges(
    n: int,
    candidates: list[tuple[int, int, int, int]],
    tier: dict[int, int],
    ctx: Pool,
    unit: int,
    rng: random.Random,
) -> list[tuple[int, int, int]]:
    """Weights where avoiding one more recent repeat beats any number of older ones, then preferences.

    A pair last met in round t >= floor costs base ** tier[t] (the tiers from :func:`_repeat_tiers`),
    base above the number of pairs in a matching; those costs sit above the whole range of
    preference points and jitter.
    """
    pairs_max = n // 2 + 1
    base = pairs_max + 1
    points = (ctx.top + 1) * unit * pairs_max
    top = base ** (max(tier.values(), default=0) + 1)
    edges = []
    for i, j, t, s in candidates:
        cost = base ** tier[t] if t >= ctx.floor else 0
        edges.append((i, j, (top - cost) * points + s * unit + rng.randrange(_JITTER)))
    return edges


def _tiers_that_fit(n: int, ctx: Pool, unit: int) -> int:
    """How many repeat tiers the weights of :func:`_tiered_edges` and :func:`_first_in_line` can hold
    within the matching's MAX_WEIGHT."""
    pairs_max = n // 2 + 1
    base = pairs_max + 1
    scale = (ctx.top + 1) * unit * pairs_max * (2 * pairs_max + 1)  # points, then first-in-line bonus
    tiers = 0
    while (base ** (tiers + 2) + 1) * scale <= MAX_WEIGHT:
        tiers += 1
    return tiers


def _repeat_tiers(
    ctx: Pool, members: list[int], candidates: list[tuple[int, int, int, int]], unit: int
) -> tuple[list[tuple[int, int, int, int]], dict[int, int]]:
    """The candidates worth weighing and each repeat round's tier (1 = the oldest round some pair met in).

    Only rounds some candidate pair last met in get a tier, so usually every round in the window has
    its own and the weights stay exact. When there are more than the weights can hold (a long window
    over a small pool), the most recent rounds that a matching covering as many people (and as many
    first in line) can do without are dropped first: the best matching uses none of their pairs, so
    this is still exact. Should that not be enough, the oldest rounds share the lowest tier: among
    pairs met that long ago, fewer repeats still win, but not older ones.
    """
    floor = ctx.floor
    rounds = sorted({t for _, _, t, _ in candidates if t >= floor})
    fits = _tiers_that_fit(len(members), ctx, unit)
    if len(rounds) > fits:
        first = [ctx.first[p] for p in members]

        def reach(last: int) -> tuple[int, int]:
            """(pairs, first-in-line people covered) of the best matching without rounds after last."""
            edges = [(i, j, first[i] + first[j]) for i, j, t, _ in candidates if t <= last or t < floor]
            mate = max_weight_matching(len(members), edges, max_cardinality=True)
            return sum(1 for v in mate if v >= 0), sum(first[v] for v in range(len(members)) if mate[v] >= 0)

        best = reach(rounds[-1])
        low, high = 0, len(rounds) - 1  # keep rounds[: high + 1]; rounds[: low] are too few
        while low < high:
            middle = (low + high) // 2
            if reach(rounds[middle]) == best:
                high = middle
            else:
                low = middle + 1
        rounds = rounds[: high + 1]
        candidates = [c for c in candidates if c[2] < floor or c[2] <= rounds[-1]]
    merged = max(0, len(rounds) - fits)
    return candidates, {t: max(1, k - merged) for k, t in enumerate(rounds, start=1)}


def _factor_round(
    n: int, fresh: list[tuple[int, int, int]], rng: random.Random
) -> list[tuple[int, int]] | None:
    """One round of a 1-factorization of the fresh pairs, best by preference; None if not applicable."""
    adjacency = [0] * n
    for i, j, _ in fresh:
        adjacency[i] |= 1 << j
        adjacency[j] |= 1 << i
    degree = adjacency[0].bit_count()
    if not 0 < degree <= FACTOR_MAX_DEGREE or degree >= n - 1 or n * degree > 1200:
        return None
    if any(mask.bit_count() != degree for mask in adjacency):
        return None
    rounds = one_factorization(n, adjacency, degree, rng=rng, budget=FACTOR_BUDGET)
    if rounds is None:
        return None
    score = {(i, j): s for i, j, s in fresh}
    return max(rounds, key=lambda matching: sum(score[pair] for pair in matching))


def repeat_cost(ctx: Pool, p: int, q: int) -> int:
    """0 for a fresh pair; else 8 ** k for the k-th oldest round in the window: one more recent
    repeat outweighs the up to four pairs a trio placement changes."""
    t = ctx.met(p, q)
    return 8 ** (t - ctx.floor + 1) if t >= ctx.floor else 0


def _add_one(
    ctx: Pool, groups: list[tuple[int, ...]], single: list[int], fresh_degree: dict[int, int]
) -> list[int]:
    """Make one trio for one of the ``single`` people if their avoid wishes allow; the rest stay single.

    Candidates: a single person joins a pair, or takes the place of a pair member who joins another
    pair instead. Best is fewest and oldest repeats, then the trio whose members have the most fresh
    partners to spare, then preferences. O(len(single) * pairs^2); trades are tried for the first
    three single people only, unless no direct placement is allowed at all.
    """
    if any(len(g) == 3 for g in groups):
        return single
    repeat, score, allowed, degree, first = repeat_cost, ctx.score, ctx.allowed, fresh_degree.get, ctx.first
    # (not first in line, repeat cost, -trio fresh degree, -preference points)
    best: tuple[bool, int, int, int] | None = None
    move = (-1, -1, -1, -1)  # (single person, their group, who leaves it or -1, the leaver's group)
    for u in single:
        for g, (a, b) in enumerate(groups):
            if allowed(u, a) and allowed(u, b):
                key = (
                    not first[u],
                    repeat(ctx, u, a) + repeat(ctx, u, b),
                    -(degree(u, 0) + degree(a, 0) + degree(b, 0)),
                    -score(u, a) - score(u, b),
                )
                if best is None or key < best:
                    best, move = key, (u, g, -1, -1)
    single = sorted(single, key=lambda x: not first[x])  # (stable) the first in line are tried first
    for u in single if best is None else single[:3]:
        for g, (a, b) in enumerate(groups):
            for stay, leave in ((a, b), (b, a)):
                if not allowed(u, stay):
                    continue
                swap_repeat = repeat(ctx, u, stay) - repeat(ctx, a, b)
                swap_score = score(u, stay) - score(a, b)
                for h, (c, d) in enumerate(groups):
                    if h != g and allowed(leave, c) and allowed(leave, d):
                        key = (
                            not first[u],
                            swap_repeat + repeat(ctx, leave, c) + repeat(ctx, leave, d),
                            -(degree(leave, 0) + degree(c, 0) + degree(d, 0)),
                            -swap_score - score(leave, c) - score(leave, d),
                        )
                        if best is None or key < best:
                            best, move = key, (u, g, leave, h)
    if best is None:
        return single
    u, g, leave, h = move
    if leave < 0:
        groups[g] = (*groups[g], u)
    else:
        stay = groups[g][0] if groups[g][1] == leave else groups[g][1]
        groups[g] = (u, stay)
        groups[h] = (*groups[h], leave)
    return [x for x in single if x != u]
