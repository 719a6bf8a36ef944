"""General graph algorithms: a maximum-weight matching and a 1-factorization. No domain words.

Pure: the standard library and rustworkx (a compiled graph library) for the matching; randomness
comes from the ``rng`` passed in.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

import rustworkx

# rustworkx computes the matching in 128-bit integers: an edge's slack is two vertex duals minus twice
# its weight, and the duals move by sums of slacks, so weights stay well below 2**127 (an overflow there
# would not raise; it would give a wrong matching). Callers with larger weights must scale them down.
MAX_WEIGHT = 2**100


def max_weight_matching(
    n: int, edges: Sequence[tuple[int, int, int]], *, max_cardinality: bool = False
) -> list[int]:
    """A maximum-weight matching of the graph on vertices ``0 .. n-1``; ``mate[v]`` or -1.

    ``edges`` are ``(i, j, weight)`` with integer weights, ``|weight| <= MAX_WEIGHT`` and ``i != j``,
    at most one edge per pair. With ``max_cardinality`` the matching has the most edges possible and,
    among those, the largest weight. Edmonds' blossom algorithm with dual variables (rustworkx's, after
    Galil 1986): O(n^3) time, exact for integer weights. Of several optimal matchings it returns one,
    the same one for the same input.
    """
    mate = [-1] * n
    if not edges:
        return mate
    if max(abs(w) for _, _, w in edges) > MAX_WEIGHT:
        raise ValueError("edge weights must lie within -MAX_WEIGHT .. MAX_WEIGHT")
    graph = rustworkx.PyGraph(multigraph=False)
    graph.add_nodes_from(range(n))
    graph.add_edges_from(edges)
    for i, j in rustworkx.max_weight_matching(graph, max_cardinality=max_cardinality, weight_fn=int):
        mate[i] = j
        mate[j] = i
    return mate


# --------------------------------------------------------------------------------------------------
# 1-factorization: split a d-regular graph into d perfect matchings (rounds).
# --------------------------------------------------------------------------------------------------


class _OutOfBudget(Exception):
    pass


def one_factorization(
    n: int, adjacency: Sequence[int], degree: int, *, rng: random.Random, budget: int = 4_000
) -> list[list[tuple[int, int]]] | None:
    """``degree`` disjoint perfect matchings covering every edge of a ``degree``-regular graph, or None.

    ``adjacency[v]`` is a bit mask of v's neighbours. An exact-cover search (every vertex needs every
    colour once): the (vertex, colour) with the fewest candidate edges is branched on first, the
    candidates tried in an order drawn from ``rng``; vertex 0's edges are coloured up front (colours
    are interchangeable). Exponential in the worst case, so it gives up (None) after ``budget``
    branchings; on the sparse graphs it is used for it needs about one per edge.
    """
    if degree == 0:
        return []
    if n % 2 or any(mask.bit_count() != degree for mask in adjacency):
        return None
    every = (1 << degree) - 1
    missing = [every] * n  # colours not yet at v
    free = list(adjacency)  # neighbours not yet joined to v by a coloured edge
    lacking = [(1 << n) - 1] * degree  # vertices still missing colour c
    chosen: list[tuple[int, int, int]] = []
    steps = 0

    def join(v: int, w: int, c: int) -> None:
        missing[v] ^= 1 << c
        missing[w] ^= 1 << c
        lacking[c] &= ~((1 << v) | (1 << w))
        free[v] &= ~(1 << w)
        free[w] &= ~(1 << v)
        chosen.append((v, w, c))

    def unjoin() -> None:
        v, w, c = chosen.pop()
        missing[v] |= 1 << c
        missing[w] |= 1 << c
        lacking[c] |= (1 << v) | (1 << w)
        free[v] |= 1 << w
        free[w] |= 1 << v

    def search() -> bool:
        nonlocal steps
        best_v = best_c = -1
        best_mask = 0
        best_count = n + 1
        for v in range(n):
            todo = missing[v]
            if not todo:
                continue
            fv = free[v]
            c = 0
            while todo:
                if todo & 1:
                    mask = fv & lacking[c]
                    count = mask.bit_count()
                    if count < best_count:
                        if count == 0:
                            return False
                        best_v, best_c, best_mask, best_count = v, c, mask, count
                todo >>= 1
                c += 1
            if best_count == 1:
                break
        if best_v < 0:
            return True  # every vertex has every colour
        steps += 1
        if steps > budget:
            raise _OutOfBudget
        candidates = [w for w in range(n) if best_mask >> w & 1]
        rng.shuffle(candidates)
        for w in candidates:
            join(best_v, w, best_c)
            if search():
                return True
            unjoin()
        return False

    first = [w for w in range(n) if adjacency[0] >> w & 1]
    rng.shuffle(first)
    for c, w in enumerate(first):
        join(0, w, c)
    try:
        found = search()
    except _OutOfBudget:
        return None
    if not found:
        return None
    rounds: list[list[tuple[int, int]]] = [[] for _ in range(degree)]
    for v, w, c in chosen:
        rounds[c].append((v, w) if v < w else (w, v))
    return rounds
