"""The general graph algorithms: maximum-weight matching against brute force, 1-factorization."""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.graphs import MAX_WEIGHT, max_weight_matching, one_factorization


def circle_rounds(user_ids: list[str]) -> list[list[tuple[str, str]]]:
    """The round-robin (circle method) schedule of an even list: len - 1 rounds, every pair once."""
    n = len(user_ids)
    rounds = []
    for r in range(n - 1):
        pairs = [(user_ids[n - 1], user_ids[r])]
        pairs += [(user_ids[(r + k) % (n - 1)], user_ids[(r - k) % (n - 1)]) for k in range(1, n // 2)]
        rounds.append(pairs)
    return rounds


def _brute_force_matching(n, edges, max_cardinality):
    weight = {frozenset((i, j)): w for i, j, w in edges}
    best = None
    for size in range(n // 2 + 1):
        for chosen in itertools.combinations(weight, size):
            if len({v for pair in chosen for v in pair}) == 2 * size:
                key = (
                    (size, sum(weight[p] for p in chosen))
                    if max_cardinality
                    else (sum(weight[p] for p in chosen),)
                )
                best = key if best is None or key > best else best
    return best


@settings(max_examples=300, deadline=None)
@given(
    n=st.integers(1, 8),
    density=st.floats(0.1, 1.0),
    max_cardinality=st.booleans(),
    seed=st.integers(0, 2**32),
)
def test_blossom_matching_equals_brute_force(n, density, max_cardinality, seed):
    rng = random.Random(seed)
    edges = [(i, j, rng.randint(-3, 20)) for i in range(n) for j in range(i + 1, n) if rng.random() < density]
    mate = max_weight_matching(n, edges, max_cardinality=max_cardinality)
    weight = {frozenset((i, j)): w for i, j, w in edges}
    chosen = {frozenset((v, u)) for v, u in enumerate(mate) if u >= 0}
    assert all(mate[u] == v for v, u in enumerate(mate) if u >= 0)
    assert chosen <= weight.keys()
    total = sum(weight[p] for p in chosen)
    expected = _brute_force_matching(n, edges, max_cardinality)
    assert ((len(chosen), total) if max_cardinality else (total,)) == expected


@settings(max_examples=100, deadline=None)
@given(n=st.integers(2, 8), density=st.floats(0.3, 1.0), seed=st.integers(0, 2**32))
def test_matching_stays_exact_with_weights_up_to_the_limit(n, density, seed):
    # Pairing's weights are big integers (a repeat tier per past round): exact up to MAX_WEIGHT.
    rng = random.Random(seed)
    edges = [
        (i, j, rng.randint(-MAX_WEIGHT // 4, MAX_WEIGHT))
        for i in range(n)
        for j in range(i + 1, n)
        if rng.random() < density
    ]
    mate = max_weight_matching(n, edges, max_cardinality=True)
    weight = {frozenset((i, j)): w for i, j, w in edges}
    chosen = {frozenset((v, u)) for v, u in enumerate(mate) if u >= 0}
    assert all(mate[u] == v for v, u in enumerate(mate) if u >= 0)
    assert (len(chosen), sum(weight[p] for p in chosen)) == _brute_force_matching(n, edges, True)


def test_matching_refuses_weights_beyond_the_limit():
    assert max_weight_matching(2, [(0, 1, MAX_WEIGHT)]) == [1, 0]
    with pytest.raises(ValueError, match="MAX_WEIGHT"):
        max_weight_matching(2, [(0, 1, MAX_WEIGHT + 1)])
    assert max_weight_matching(3, []) == [-1, -1, -1]


def _masks(n, edges):
    adjacency = [0] * n
    for i, j in edges:
        adjacency[i] |= 1 << j
        adjacency[j] |= 1 << i
    return adjacency


def test_one_factorization_splits_a_regular_graph_into_perfect_matchings():
    users = [str(i) for i in range(12)]
    rounds = circle_rounds(users)[:5]  # a 5-regular graph on 12 vertices
    edges = {frozenset((int(a), int(b))) for r in rounds for a, b in r}
    found = one_factorization(12, _masks(12, [tuple(e) for e in edges]), 5, rng=random.Random(1))
    assert found is not None and len(found) == 5
    assert all(sorted(v for pair in m for v in pair) == list(range(12)) for m in found)
    assert {frozenset(p) for m in found for p in m} == edges


def test_one_factorization_reports_a_graph_without_one():
    # The Petersen graph is 3-regular but needs 4 colours for its edges.
    outer = [(i, (i + 1) % 5) for i in range(5)]
    spokes = [(i, i + 5) for i in range(5)]
    inner = [(5 + i, 5 + (i + 2) % 5) for i in range(5)]
    assert one_factorization(10, _masks(10, outer + spokes + inner), 3, rng=random.Random(1)) is None
