"""Groups of 2-6 and coffee with a senior (app.domain.pairing.groups): the same guarantees as pairs.

Property tests: nobody missing or twice, no group of one, avoid wishes and a hard team rule never
broken, the same seed and inputs the same groups, repeats avoided where the pool leaves room, and in
senior mode one senior at the head of each senior group, the shortfall counted."""

from __future__ import annotations

import random
from datetime import UTC, datetime, time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.pairing import PairHistory, Participant
from app.domain.pairing.groups import GroupPlan, plan_sized_groups
from app.domain.schedule import local_morning

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def pools(draw, *, least=0, most=40):
    n = draw(st.integers(least, most))
    teams = draw(st.lists(st.sampled_from([None, "eng", "sales", "ops", "hr"]), min_size=n, max_size=n))
    levels = draw(st.lists(st.integers(1, 5), min_size=n, max_size=n))
    first = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    return [
        Participant(f"U{i:03d}", team=teams[i], level=levels[i], first_in_line=first[i]) for i in range(n)
    ]


@st.composite
def avoid_lists(draw, n):
    if n < 2:
        return []
    pairs = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1))
    return [(f"U{a:03d}", f"U{b:03d}") for a, b in draw(st.lists(pairs, max_size=n // 2)) if a != b]


def check(plan: GroupPlan, pool, avoid, *, never_same_team=False):
    placed = [m for g in plan.groups for m in g.members]
    everyone = placed + list(plan.left_out)
    assert sorted(everyone) == sorted(p.user_id for p in pool)  # each once, nobody else
    assert all(len(g.members) >= 2 and g.proposer in g.members for g in plan.groups)
    group_of = {m: i for i, g in enumerate(plan.groups) for m in g.members}
    for a, b in avoid:
        assert a not in group_of or group_of.get(a) != group_of.get(b), (a, b)
    if never_same_team:
        team = {p.user_id: p.team for p in pool}
        for g in plan.groups:
            known = [team[m] for m in g.members if team[m] is not None]
            assert len(known) == len(set(known)), g


@SETTINGS
@given(data=st.data(), size=st.integers(2, 6), seed=st.integers(0, 2**32), hard=st.booleans())
def test_everyone_once_no_group_of_one_hard_rules_kept(data, size, seed, hard):
    pool = data.draw(pools())
    avoid = data.draw(avoid_lists(len(pool)))
    plan = plan_sized_groups(
        pool,
        PairHistory(),
        rng=random.Random(seed),
        size=size,
        repeat_window=6,
        avoid=avoid,
        never_same_team=hard,
    )
    check(plan, pool, avoid, never_same_team=hard)
    if not avoid and not hard and len(pool) >= 2:
        assert plan.left_out == ()  # nothing stands in anyone's way: nobody is left out
    if plan.groups and not avoid and not hard:
        sizes = [len(g.members) for g in plan.groups]
        assert max(sizes) - min(sizes) <= 1 and max(sizes) <= size + (size == 2)  # pairs: one trio


@SETTINGS
@given(data=st.data(), size=st.integers(2, 6), seed=st.integers(0, 2**32))
def test_same_seed_and_inputs_same_groups_in_any_order(data, size, seed):
    pool = data.draw(pools())
    avoid = data.draw(avoid_lists(len(pool)))
    history = PairHistory.from_rounds(
        [[[p.user_id for p in pool[i : i + 3]] for i in range(0, len(pool), 3)]]
    )
    one = plan_sized_groups(pool, history, rng=random.Random(seed), size=size, repeat_window=6, avoid=avoid)
    two = plan_sized_groups(
        list(reversed(pool)), history, rng=random.Random(seed), size=size, repeat_window=6, avoid=avoid
    )
    assert one == two


@SETTINGS
@given(data=st.data(), size=st.integers(3, 5), seed=st.integers(0, 2**32))
def test_the_round_after_a_round_repeats_nobody_when_the_pool_leaves_room(data, size, seed):
    # Room: at least ``size`` groups, so each new group can take its members from different old ones.
    n = data.draw(st.integers(size * size, 60))
    pool = [Participant(f"U{i:03d}") for i in range(n)]
    rng = random.Random(seed)
    first = plan_sized_groups(pool, PairHistory(), rng=rng, size=size, repeat_window=6)
    history = PairHistory.from_rounds([[g.members for g in first.groups]])
    second = plan_sized_groups(pool, history, rng=rng, size=size, repeat_window=6)
    assert second.repeats == ()


def test_a_pool_of_one_or_none_is_left_out_never_silently():
    assert plan_sized_groups([], PairHistory(), rng=random.Random(1), size=4, repeat_window=6).groups == ()
    alone = plan_sized_groups(
        [Participant("U1")], PairHistory(), rng=random.Random(1), size=4, repeat_window=6
    )
    assert alone.left_out == ("U1",)


@SETTINGS
@given(data=st.data(), size=st.integers(2, 6), seed=st.integers(0, 2**32), level=st.integers(2, 5))
def test_coffee_with_a_senior_one_senior_heads_each_senior_group(data, size, seed, level):
    pool = data.draw(pools(least=2))
    avoid = data.draw(avoid_lists(len(pool)))
    plan = plan_sized_groups(
        pool,
        PairHistory(),
        rng=random.Random(seed),
        size=size,
        repeat_window=6,
        avoid=avoid,
        senior_level=level,
    )
    check(plan, pool, avoid)
    is_senior = {p.user_id: (p.level or 0) >= level for p in pool}
    seniors = sum(is_senior.values())
    juniors = len(pool) - seniors
    with_senior = sum(any(is_senior[m] for m in g.members) for g in plan.groups)
    groups = -(-len(pool) // size)
    if not avoid:
        assert plan.seniors_short == groups - min(seniors, juniors, groups)
        assert with_senior >= min(seniors, juniors, groups)


def test_seniors_rotate_so_each_meets_new_juniors():
    # Four seniors, eight juniors, groups of three: a second round without any repeat exists (each
    # group's two juniors from two other first-round groups), and the planner finds it.
    pool = [Participant(f"S{i}", level=5) for i in range(4)] + [
        Participant(f"J{i:02d}", level=1) for i in range(8)
    ]
    history = PairHistory()
    met: dict[str, set[str]] = {f"S{i}": set() for i in range(4)}
    for seed in range(2):
        plan = plan_sized_groups(
            pool, history, rng=random.Random(seed), size=3, repeat_window=6, senior_level=4
        )
        assert plan.repeats == () and plan.seniors_short == 0
        for g in plan.groups:
            [senior] = [m for m in g.members if m.startswith("S")]
            met[senior] |= {m for m in g.members if m.startswith("J")}
        history = history.with_round([g.members for g in plan.groups])
    assert all(len(juniors) == 4 for juniors in met.values())  # two rounds, four different juniors each


def test_when_seniors_are_short_the_rest_form_ordinary_groups_and_the_plan_says_so():
    pool = [Participant("S0", level=5)] + [Participant(f"J{i:02d}", level=1) for i in range(11)]
    plan = plan_sized_groups(
        pool, PairHistory(), rng=random.Random(3), size=4, repeat_window=6, senior_level=4
    )
    assert len(plan.groups) == 3 and plan.seniors_short == 2
    assert sum("S0" in g.members for g in plan.groups) == 1


def test_intros_reach_a_group_at_the_local_morning_of_most_of_its_members():
    monday_9_berlin = datetime(2031, 1, 13, 8, 0, tzinfo=UTC)
    # Two in Berlin, one in Tokyo: Berlin's 09:30, half an hour after the round.
    at = local_morning(["Europe/Berlin", "Asia/Tokyo", "Europe/Berlin"], time(9, 30), monday_9_berlin)
    assert at == datetime(2031, 1, 13, 8, 30, tzinfo=UTC)
    # Mostly Tokyo, where it is 17:00 already: Tuesday 09:30 in Tokyo.
    at = local_morning(["Asia/Tokyo", "Asia/Tokyo", "Europe/Berlin"], time(9, 30), monday_9_berlin)
    assert at == datetime(2031, 1, 14, 0, 30, tzinfo=UTC)
    # A tie goes to the zone first by name; an unknown zone counts as UTC.
    assert local_morning(["Nowhere/City"], time(9, 30), monday_9_berlin) == datetime(
        2031, 1, 13, 9, 30, tzinfo=UTC
    )
    tie = local_morning(["Europe/London", "America/New_York"], time(9, 30), monday_9_berlin)
    assert tie == datetime(2031, 1, 13, 14, 30, tzinfo=UTC)  # New York's morning (America/… < Europe/…)
    # Across the spring change the wall-clock time is kept: 09:30 Berlin is 07:30 UTC in summer.
    spring = local_morning(["Europe/Berlin"], time(9, 30), datetime(2031, 3, 31, 8, 0, tzinfo=UTC))
    assert spring == datetime(2031, 4, 1, 7, 30, tzinfo=UTC)


@SETTINGS
@given(seed=st.integers(0, 2**32), size=st.integers(3, 6), first=st.sampled_from(["UA", "UB"]))
def test_a_hard_rule_leaves_out_whoever_is_not_first_in_line(seed, size, first):
    # One group of everyone; UA and UB must not meet, so one of them is left out: never the one who
    # was left out last time (first in line).
    pool = [Participant(u, first_in_line=u == first) for u in ("UA", "UB")] + [
        Participant(f"UC{i}") for i in range(size - 2)
    ]
    plan = plan_sized_groups(
        pool, PairHistory(), rng=random.Random(seed), size=size, repeat_window=6, avoid=[("UA", "UB")]
    )
    assert plan.left_out == (("UB",) if first == "UA" else ("UA",))
    assert first in plan.groups[0].members
