"""plan_groups honours "first in line": whoever was left without a group last time is placed first."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.pairing import EXACT_LIMIT, PairHistory, Participant, is_valid_plan, plan_groups

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def fewest_left_out(people: list[str], avoid: set[frozenset[str]], first: set[str]) -> int:
    """By brute force over every valid plan: the fewest first-in-line people any plan leaves out."""
    best = len(first)

    def ok(*group: str) -> bool:
        return all(frozenset((a, b)) not in avoid for i, a in enumerate(group) for b in group[i + 1 :])

    def walk(rest: list[str], left: int, trio: bool) -> None:
        nonlocal best
        if left >= best:
            return
        if not rest:
            best = left
            return
        p, others = rest[0], rest[1:]
        for i, q in enumerate(others):
            if ok(p, q):
                walk(others[:i] + others[i + 1 :], left, trio)
                if not trio:
                    for j in range(i + 1, len(others)):
                        r = others[j]
                        if ok(p, q, r):
                            walk([x for k, x in enumerate(others) if k not in (i, j)], left, True)
        walk(others, left + (p in first), trio)

    walk(sorted(people), 0, False)
    return best


@st.composite
def pools(draw):
    n = draw(st.integers(1, 7))
    people = [f"U{i}" for i in range(n)]
    pairs = [frozenset((a, b)) for i, a in enumerate(people) for b in people[i + 1 :]]
    avoid = set(draw(st.lists(st.sampled_from(pairs), unique=True))) if pairs else set()
    first = set(draw(st.lists(st.sampled_from(people), unique=True)))
    return people, avoid, first, draw(st.integers(0, 2**32))


@SETTINGS
@given(pools())
def test_no_plan_leaves_out_fewer_of_those_first_in_line(case):
    people, avoid, first, seed = case
    pool = [Participant(u, first_in_line=u in first) for u in people]
    wishes = [tuple(sorted(pair)) for pair in avoid]
    plan = plan_groups(pool, PairHistory(), rng=random.Random(seed), avoid=wishes)
    assert is_valid_plan(plan, pool, wishes)
    assert len(first & set(plan.left_out)) == fewest_left_out(people, avoid, first)


def test_whoever_waited_is_placed_when_someone_must_be_left_out():
    # B doesn't want to meet C, and three people make one group at most: B or C is left out.
    pool = [Participant("UA"), Participant("UB", first_in_line=True), Participant("UC")]
    for seed in range(40):
        plan = plan_groups(pool, PairHistory(), rng=random.Random(seed), avoid=[("UB", "UC")])
        assert plan.left_out == ("UC",), seed
    # Without the flag either may be the one: the flag, not luck, decides.
    plain = [Participant(p.user_id) for p in pool]
    left = {
        plan_groups(plain, PairHistory(), rng=random.Random(s), avoid=[("UB", "UC")]).left_out
        for s in range(40)
    }
    assert left == {("UB",), ("UC",)}


def test_a_large_pool_places_those_first_in_line_even_when_avoid_wishes_crowd_them():
    n = EXACT_LIMIT * 3
    people = [f"U{i:04d}" for i in range(n)]
    waiting = set(people[::37])
    # Each waiting person may meet only two others, far apart in the pool: a careless plan strands them.
    avoid = [
        (w, p)
        for w in waiting
        for p in people
        if p != w and (p in waiting or (int(w[1:]) * 31 + int(p[1:])) % 150)
    ]
    pool = [Participant(u, first_in_line=u in waiting, utc_offset_minutes=0) for u in people]
    for seed in range(3):
        plan = plan_groups(pool, PairHistory(), rng=random.Random(seed), avoid=avoid)
        assert is_valid_plan(plan, pool, avoid) and not plan.exact
        assert waiting.isdisjoint(plan.left_out), seed
