"""Across two groups and the lottery (app.domain.pairing.groups / lottery): the same guarantees as pairs.

Property tests: nobody missing or twice, no group of one, avoid wishes never broken, every group
mixing both sides when the smaller side has one person per group, repeats avoided where there is
room, the same seed and inputs the same groups; a lottery never draws anyone twice before everyone."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_pairing_groups import avoid_lists, check, pools

from app.domain.pairing import PairHistory, Participant
from app.domain.pairing.groups import plan_sized_groups
from app.domain.pairing.in_person import ALONE, NO_OFFICE, plan_in_person, shared_day
from app.domain.pairing.lottery import draw_lottery, lottery_as_plan

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def side_of(pool, draw):
    flags = draw(st.lists(st.booleans(), min_size=len(pool), max_size=len(pool)))
    return {p.user_id: flag for p, flag in zip(pool, flags, strict=True)}


@SETTINGS
@given(data=st.data(), size=st.integers(2, 6), seed=st.integers(0, 2**32))
def test_two_sides_everyone_once_every_group_mixes_when_it_can(data, size, seed):
    pool = data.draw(pools(least=2))
    sides = side_of(pool, data.draw)
    avoid = data.draw(avoid_lists(len(pool)))
    plan = plan_sized_groups(
        pool, PairHistory(), rng=random.Random(seed), size=size, repeat_window=6, avoid=avoid, sides=sides
    )
    check(plan, pool, avoid)
    assert plan.unmixed == sum(len({sides[m] for m in g.members}) < 2 for g in plan.groups)
    a = sum(sides.values())
    smaller = min(a, len(pool) - a)
    groups = -(-len(pool) // size)
    mixed = sum(len({sides[m] for m in g.members}) == 2 for g in plan.groups)
    if not avoid:
        assert plan.left_out == ()
        assert plan.unmixed <= groups - min(smaller, groups)
        assert mixed >= min(smaller, groups)
        if smaller >= groups:
            assert mixed == len(plan.groups)  # every group mixes both sides
    again = plan_sized_groups(
        list(reversed(pool)),
        PairHistory(),
        rng=random.Random(seed),
        size=size,
        repeat_window=6,
        avoid=avoid,
        sides=sides,
    )
    assert again == plan


@SETTINGS
@given(size=st.integers(2, 4), seed=st.integers(0, 2**32), teams=st.integers(4, 10))
def test_two_sides_the_second_round_repeats_nobody_when_there_is_room(size, seed, teams):
    # Two equal sides, ``teams`` groups of ``size``: enough others on each side for a fresh round.
    n = teams * size
    pool = [Participant(f"U{i:03d}") for i in range(n)]
    sides = {p.user_id: i % 2 == 0 for i, p in enumerate(pool)}
    rng = random.Random(seed)
    first = plan_sized_groups(pool, PairHistory(), rng=rng, size=size, repeat_window=6, sides=sides)
    history = PairHistory.from_rounds([[g.members for g in first.groups]])
    second = plan_sized_groups(pool, history, rng=rng, size=size, repeat_window=6, sides=sides)
    assert second.repeats == ()
    assert all(len({sides[m] for m in g.members}) == 2 for g in first.groups + second.groups)


def test_mentors_and_mentees_in_pairs_always_mix_and_the_shortfall_is_counted():
    pool = [Participant(f"M{i}") for i in range(3)] + [Participant(f"E{i}") for i in range(7)]
    sides = {p.user_id: p.user_id.startswith("M") for p in pool}
    plan = plan_sized_groups(pool, PairHistory(), rng=random.Random(5), size=2, repeat_window=6, sides=sides)
    assert plan.unmixed == 2 and plan.seniors_short == 0
    assert sum(any(m.startswith("M") for m in g.members) for g in plan.groups) == 3


@SETTINGS
@given(
    n=st.integers(0, 30),
    hosts=st.integers(1, 2),
    draw=st.integers(1, 5),
    seed=st.integers(0, 2**32),
    rounds=st.integers(1, 12),
    data=st.data(),
)
def test_a_lottery_draws_nobody_twice_before_everyone_has_been(n, hosts, draw, seed, rounds, data):
    host_ids = [f"H{i}" for i in range(hosts)]
    pool = [Participant(f"U{i:02d}") for i in range(n)] + [Participant(h) for h in host_ids]
    avoid = data.draw(avoid_lists(n))
    avoid += [
        (f"U{i:02d}", "H0") for i in data.draw(st.lists(st.integers(0, max(n - 1, 0)), max_size=2)) if n
    ]
    blocked = {a for a, b in avoid if b == "H0"}
    eligible = {p.user_id for p in pool} - set(host_ids) - blocked
    times: dict[str, int] = {}
    rng = random.Random(seed)
    for _ in range(rounds):
        plan = draw_lottery(pool, host_ids, draw=draw, times_drawn=times, rng=rng, avoid=avoid)
        as_plan = lottery_as_plan(plan)
        assert as_plan.left_out == ()
        if not eligible:
            assert plan.group is None and as_plan.groups == ()
            continue
        assert plan.group is not None and set(host_ids) <= set(plan.group.members)
        assert len(plan.drawn) == min(draw, len(eligible)) and set(plan.drawn) <= eligible
        assert plan.group.proposer in host_ids and len(plan.group.members) >= 2
        for u in plan.drawn:
            times[u] = times.get(u, 0) + 1
        counts = [times.get(u, 0) for u in eligible]
        assert max(counts) - min(counts) <= 1  # nobody twice before everyone once
        assert not (blocked & set(plan.drawn))
    # The same rng state and inputs, the same draw (in any order).
    one = draw_lottery(pool, host_ids, draw=draw, times_drawn=times, rng=random.Random(seed))
    two = draw_lottery(
        list(reversed(pool)), host_ids[::-1], draw=draw, times_drawn=times, rng=random.Random(seed)
    )
    assert one == two


@SETTINGS
@given(data=st.data(), size=st.integers(2, 6), seed=st.integers(0, 2**32))
def test_in_person_groups_stay_within_one_office_and_nobody_is_lost(data, size, seed):
    pool = data.draw(pools())
    where = data.draw(
        st.lists(st.sampled_from([None, "Berlin", "London", "Paris"]), min_size=len(pool), max_size=len(pool))
    )
    office_of = {p.user_id: o for p, o in zip(pool, where, strict=True) if o is not None}
    avoid = data.draw(avoid_lists(len(pool)))
    planned = plan_in_person(
        pool, office_of, PairHistory(), rng=random.Random(seed), size=size, repeat_window=6, avoid=avoid
    )
    out = dict(planned.not_placed)
    placed_pool = [p for p in pool if p.user_id not in out]
    check(planned.plan, placed_pool, avoid)
    for g in planned.plan.groups:
        assert len({office_of[m] for m in g.members}) == 1  # one office per group
    for p in pool:
        office = office_of.get(p.user_id)
        colleagues = sum(office_of.get(q.user_id) == office for q in pool)
        if office is None:
            assert out[p.user_id] == NO_OFFICE
        elif colleagues == 1:
            assert out[p.user_id] == ALONE
        else:
            assert p.user_id not in out
    again = plan_in_person(
        list(reversed(pool)),
        office_of,
        PairHistory(),
        rng=random.Random(seed),
        size=size,
        repeat_window=6,
        avoid=avoid,
    )
    assert again == planned


def test_the_weekday_a_group_shares():
    assert shared_day([(0, 2), (2, 3), (2,)]) == (2, True)
    assert shared_day([(0, 1), (1, 3), (4,)]) == (1, False)  # most of them
    assert shared_day([(4,), (3,)]) == (3, False)  # a tie: the earliest
    assert shared_day([(), ()]) == (None, False)
