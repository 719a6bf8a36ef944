"""plan_groups: coverage, group sizes, avoid wishes, repeats and relaxation, preferences, determinism."""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_graphs import circle_rounds

from app.domain.pairing import (
    EXACT_LIMIT,
    Group,
    PairHistory,
    PairingPolicy,
    Participant,
    Plan,
    is_valid_plan,
    plan_groups,
)

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def person(i: int, **fields) -> Participant:
    return Participant(f"U{i:04d}", **fields)


def ids(pool: list[Participant]) -> list[str]:
    return [p.user_id for p in pool]


def pairs_in(plan: Plan) -> set[frozenset[str]]:
    return {frozenset(pair) for g in plan.groups for pair in itertools.combinations(g.members, 2)}


def random_round(user_ids: list[str], rng: random.Random) -> list[tuple[str, ...]]:
    """A previous round: everyone in pairs, one trio when odd."""
    shuffled = list(user_ids)
    rng.shuffle(shuffled)
    groups = [tuple(shuffled[i : i + 2]) for i in range(0, len(shuffled) - 1, 2)]
    if len(shuffled) % 2 and groups:
        groups[-1] = (*groups[-1], shuffled[-1])
    return groups


def repeats_by_history(plan: Plan, history: PairHistory, window: int) -> set[frozenset[str]]:
    return {
        pair
        for pair in pairs_in(plan)
        if (since := history.rounds_since(*sorted(pair))) is not None and since <= window
    }


@st.composite
def pools(draw, min_size: int = 0, max_size: int = 40) -> list[Participant]:
    n = draw(st.integers(min_size, max_size))
    teams = draw(st.sampled_from([None, 1, 2, 3, 7]))
    rng = random.Random(draw(st.integers(0, 2**32)))
    return [
        person(
            i,
            team=None if teams is None or rng.random() < 0.1 else f"T{rng.randrange(teams)}",
            level=rng.choice([None, 1, 2, 3, 4, 5]),
            utc_offset_minutes=rng.choice([None, -480, -300, 0, 60, 330, 540]),
        )
        for i in range(n)
    ]


policies = st.builds(
    PairingPolicy,
    repeat_window=st.integers(0, 8),
    prefer_cross_team=st.booleans(),
    mix_levels=st.booleans(),
    prefer_tz_overlap=st.booleans(),
)


# ----- PairHistory ------------------------------------------------------------------------------------


def test_history_counts_rounds_back_from_the_most_recent():
    history = PairHistory.from_rounds([[("a", "b"), ("c", "d")], [("a", "c"), ("b", "d", "e")]])
    assert history.rounds == 2
    assert history.rounds_since("a", "c") == 1
    assert history.rounds_since("c", "a") == 1
    assert history.rounds_since("a", "b") == 2
    assert history.rounds_since("d", "e") == 1  # pairs inside a trio count
    assert history.rounds_since("a", "e") is None
    assert history.rounds_since("a", "nobody") is None
    assert history.rounds_since("a", "a") is None
    assert len(history) == 6


def test_history_keeps_the_last_meeting_and_grows_by_a_round():
    history = PairHistory.from_rounds([[("a", "b")], [("c", "d")], [("a", "b")]])
    assert history.rounds_since("a", "b") == 1
    later = history.with_round([("a", "c")])
    assert later.rounds == 4
    assert later.rounds_since("a", "b") == 2
    assert later.rounds_since("a", "c") == 1
    assert history.rounds_since("a", "c") is None  # the original is unchanged
    assert PairHistory().rounds_since("a", "b") is None


# ----- tiny pools and group sizes ---------------------------------------------------------------------


def test_empty_pool_gives_an_empty_plan():
    plan = plan_groups([], PairHistory(), rng=random.Random(1))
    assert plan.groups == () and plan.left_out == () and plan.repeats == ()
    assert is_valid_plan(plan, [])


def test_a_pool_of_one_leaves_that_person_out_and_says_so():
    pool = [person(1)]
    plan = plan_groups(pool, PairHistory(), rng=random.Random(1))
    assert plan.groups == ()
    assert plan.left_out == ("U0001",)
    assert is_valid_plan(plan, pool)


def test_a_pool_of_two_is_one_pair_and_of_three_one_trio():
    two = [person(1), person(2)]
    plan = plan_groups(two, PairHistory(), rng=random.Random(1))
    assert [g.members for g in plan.groups] == [("U0001", "U0002")]
    assert plan.groups[0].proposer in plan.groups[0].members
    three = [*two, person(3)]
    plan = plan_groups(three, PairHistory(), rng=random.Random(1))
    assert [g.members for g in plan.groups] == [("U0001", "U0002", "U0003")]
    assert plan.left_out == ()


@pytest.mark.parametrize("n", [5, 7, 9, 21, 41, 99])
def test_an_odd_pool_gets_exactly_one_trio_and_nobody_left_out(n):
    pool = [person(i) for i in range(n)]
    plan = plan_groups(pool, PairHistory(), rng=random.Random(n))
    assert sorted(len(g.members) for g in plan.groups) == [2] * (n // 2 - 1) + [3]
    assert plan.left_out == ()


@pytest.mark.parametrize("n", [4, 10, 40, 100])
def test_an_even_pool_is_all_pairs(n):
    plan = plan_groups([person(i) for i in range(n)], PairHistory(), rng=random.Random(n))
    assert [len(g.members) for g in plan.groups] == [2] * (n // 2)


# ----- avoid wishes -----------------------------------------------------------------------------------


def test_two_who_avoid_each_other_are_both_left_out():
    pool = [person(1), person(2)]
    plan = plan_groups(pool, PairHistory(), rng=random.Random(1), avoid=[("U0002", "U0001")])
    assert plan.groups == ()
    assert plan.left_out == ("U0001", "U0002")
    assert is_valid_plan(plan, pool, [("U0002", "U0001")])


def test_of_three_with_one_avoid_wish_one_pair_is_made_and_one_person_left_out():
    pool = [person(1), person(2), person(3)]
    avoid = [("U0001", "U0002")]
    plan = plan_groups(pool, PairHistory(), rng=random.Random(1), avoid=avoid)
    assert len(plan.groups) == 1 and len(plan.groups[0].members) == 2
    assert "U0003" in plan.groups[0].members
    assert len(plan.left_out) == 1
    assert is_valid_plan(plan, pool, avoid)


def test_someone_everyone_avoids_is_left_out_and_the_rest_are_paired():
    pool = [person(i) for i in range(7)]
    avoid = [("U0006", f"U{i:04d}") for i in range(6)]
    plan = plan_groups(pool, PairHistory(), rng=random.Random(3), avoid=avoid)
    assert plan.left_out == ("U0006",)
    assert [len(g.members) for g in plan.groups] == [2, 2, 2]


def test_avoid_wishes_are_honoured_even_when_a_repeat_is_the_price():
    pool = [person(i) for i in range(4)]
    history = PairHistory.from_rounds([[("U0000", "U0002"), ("U0001", "U0003")]])
    avoid = [("U0000", "U0001"), ("U0003", "U0000")]  # leaves only the pairing of last round
    plan = plan_groups(pool, history, rng=random.Random(1), avoid=avoid)
    assert pairs_in(plan) == {frozenset({"U0000", "U0002"}), frozenset({"U0001", "U0003"})}
    assert len(plan.repeats) == 2


# ----- properties over random pools -----------------------------------------------------------------


@SETTINGS
@given(pool=pools(), policy=policies, data=st.data())
def test_every_plan_is_valid_and_reports_its_repeats_truthfully(pool, policy, data):
    rng = random.Random(data.draw(st.integers(0, 2**32)))
    everyone = [*ids(pool), "X1", "X2", "X3"]  # the history also holds people who left
    history = PairHistory.from_rounds(
        [
            random_round(rng.sample(everyone, rng.randint(0, len(everyone))), rng)
            for _ in range(rng.randint(0, 5))
        ]
    )
    avoid = []
    if len(pool) >= 2:
        avoid = [tuple(rng.sample(ids(pool), 2)) for _ in range(data.draw(st.integers(0, 2 * len(pool))))]
    plan = plan_groups(pool, history, rng=rng, policy=policy, avoid=avoid)

    assert is_valid_plan(plan, pool, avoid)
    placed = [m for g in plan.groups for m in g.members]
    assert sorted(placed + list(plan.left_out)) == sorted(ids(pool))
    assert all(g.proposer in g.members for g in plan.groups)
    assert all(list(g.members) == sorted(g.members) for g in plan.groups)
    assert sum(len(g.members) == 3 for g in plan.groups) == len(placed) % 2
    together = pairs_in(plan)
    assert not any(frozenset(pair) in together for pair in avoid)
    assert {frozenset(pair) for pair in plan.repeats} == repeats_by_history(
        plan, history, policy.repeat_window
    )
    if not avoid:
        assert plan.left_out == (() if len(pool) != 1 else tuple(ids(pool)))


@SETTINGS
@given(pool=pools(min_size=6), window=st.integers(1, 8), data=st.data())
def test_no_repeats_when_the_history_is_a_single_previous_round(pool, window, data):
    # After one round of pairs (and at most one trio), a repeat-free plan always exists for 6 or
    # more people: the pairs not yet met are dense enough for a perfect matching and a trio.
    rng = random.Random(data.draw(st.integers(0, 2**32)))
    everyone = [*ids(pool), "X1", "X2"]
    previous = random_round(rng.sample(everyone, data.draw(st.integers(len(pool), len(everyone)))), rng)
    history = PairHistory.from_rounds([previous])
    plan = plan_groups(pool, history, rng=rng, policy=PairingPolicy(repeat_window=window))
    assert plan.repeats == ()
    assert plan.left_out == ()
    assert is_valid_plan(plan, pool)


@SETTINGS
@given(pool=pools(max_size=30), seed=st.integers(0, 2**32), policy=policies)
def test_the_same_seed_gives_the_same_plan_whatever_the_pool_order(pool, seed, policy):
    rng = random.Random(seed)
    history = PairHistory.from_rounds([random_round(ids(pool), rng) for _ in range(3)])
    avoid = [tuple(rng.sample(ids(pool), 2)) for _ in range(len(pool) // 3)] if len(pool) >= 2 else []
    first = plan_groups(pool, history, rng=random.Random(seed), policy=policy, avoid=avoid)
    again = plan_groups(pool, history, rng=random.Random(seed), policy=policy, avoid=avoid)
    shuffled = list(pool)
    rng.shuffle(shuffled)
    swapped = [(b, a) for a, b in reversed(avoid)]
    reordered = plan_groups(shuffled, history, rng=random.Random(seed), policy=policy, avoid=swapped)
    assert first == again == reordered


def test_different_seeds_give_different_plans_and_proposers():
    pool = [person(i) for i in range(30)]
    plans = [plan_groups(pool, PairHistory(), rng=random.Random(seed)) for seed in range(5)]
    assert len({frozenset(pairs_in(plan)) for plan in plans}) == 5
    proposers = [g.proposer == g.members[0] for plan in plans for g in plan.groups]
    assert 0 < sum(proposers) < len(proposers)


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="twice"):
        plan_groups([person(1), person(1)], PairHistory(), rng=random.Random(1))
    with pytest.raises(ValueError, match="repeat_window"):
        plan_groups([person(1)], PairHistory(), rng=random.Random(1), policy=PairingPolicy(repeat_window=-1))


# ----- repeats and their relaxation -------------------------------------------------------------------


def test_when_every_pairing_repeats_the_one_that_met_longest_ago_is_used():
    pool = [person(i) for i in range(4)]
    a, b, c, d = ids(pool)
    oldest = [(a, c), (b, d)]
    history = PairHistory.from_rounds([oldest, [(a, d), (b, c)], [(a, b), (c, d)]])
    for seed in range(10):
        plan = plan_groups(pool, history, rng=random.Random(seed))
        assert pairs_in(plan) == {frozenset(p) for p in oldest}
        assert {frozenset(p) for p in plan.repeats} == {frozenset(p) for p in oldest}


def test_one_recent_repeat_is_worse_than_any_number_of_older_ones():
    # 6 people, every pair met within the window (a full round robin over 5 rounds). The plan must
    # repeat the oldest round rather than mix in any pair from a more recent one.
    pool = [person(i) for i in range(6)]
    rounds = circle_rounds(ids(pool))
    history = PairHistory.from_rounds(rounds)
    for seed in range(10):
        plan = plan_groups(pool, history, rng=random.Random(seed))
        assert pairs_in(plan) == {frozenset(p) for p in rounds[0]}


def test_relaxation_keeps_fresh_pairs_where_it_can():
    # 8 people: everyone met everyone except the pairs of one perfect matching, which met 3 rounds
    # ago; within the window of 2 those are the only fresh pairs.
    pool = [person(i) for i in range(8)]
    rounds = circle_rounds(ids(pool))  # 7 rounds
    history = PairHistory.from_rounds(rounds)
    plan = plan_groups(pool, history, rng=random.Random(1), policy=PairingPolicy(repeat_window=2))
    assert plan.repeats == ()
    assert pairs_in(plan) <= {frozenset(p) for r in rounds[:-2] for p in r}


def test_a_pair_that_met_outside_the_window_is_not_a_repeat():
    pool = [person(1), person(2)]
    history = PairHistory.from_rounds([[("U0001", "U0002")], [], []])
    assert (
        plan_groups(pool, history, rng=random.Random(1), policy=PairingPolicy(repeat_window=2)).repeats == ()
    )
    plan = plan_groups(pool, history, rng=random.Random(1), policy=PairingPolicy(repeat_window=3))
    assert plan.repeats == (("U0001", "U0002"),)


@pytest.mark.parametrize("n", [10, 20, 50])
def test_a_stable_even_pool_meets_everyone_before_anyone_meets_twice(n):
    pool = [person(i, team=f"T{i % 3}") for i in range(n)]
    rng = random.Random(n)
    policy = PairingPolicy(repeat_window=100)
    history = PairHistory()
    for _ in range(n - 1):
        plan = plan_groups(pool, history, rng=rng, policy=policy)
        assert plan.repeats == ()
        history = history.with_round([g.members for g in plan.groups])
    assert len(history) == n * (n - 1) // 2


# ----- preferences ------------------------------------------------------------------------------------


def test_two_teams_of_ten_are_paired_across_teams():
    pool = [person(i, team="red" if i < 10 else "blue") for i in range(20)]
    for seed in range(5):
        plan = plan_groups(pool, PairHistory(), rng=random.Random(seed))
        assert plan.cross_team_share == 1.0
        assert all(int(a[1:]) < 10 <= int(b[1:]) for a, b in (g.members for g in plan.groups))


def test_without_the_preference_teams_are_not_kept_apart():
    pool = [person(i, team="red" if i < 10 else "blue") for i in range(20)]
    policy = PairingPolicy(prefer_cross_team=False, prefer_tz_overlap=False)
    shares = [
        plan_groups(pool, PairHistory(), rng=random.Random(s), policy=policy).cross_team_share
        for s in range(5)
    ]
    assert min(shares) < 1.0


def test_levels_are_mixed_when_asked():
    pool = [person(i, level=1 if i < 6 else 5) for i in range(12)]
    plan = plan_groups(pool, PairHistory(), rng=random.Random(1), policy=PairingPolicy(mix_levels=True))
    assert plan.level_mix_share == 1.0


def test_time_zones_with_shared_hours_are_paired_together():
    pool = [person(i, utc_offset_minutes=-480 if i % 2 else 540) for i in range(12)]  # 17 h apart
    plan = plan_groups(pool, PairHistory(), rng=random.Random(1))
    assert plan.mean_tz_overlap_hours == 8.0


def test_cross_team_outweighs_extra_shared_hours_but_not_a_repeat():
    # Two red in UTC, two blue three hours east: cross-team pairs still share 5 working hours.
    pool = [
        person(0, team="red", utc_offset_minutes=0),
        person(1, team="red", utc_offset_minutes=0),
        person(2, team="blue", utc_offset_minutes=180),
        person(3, team="blue", utc_offset_minutes=180),
    ]
    same_team = {frozenset({"U0000", "U0001"}), frozenset({"U0002", "U0003"})}
    for seed in range(5):
        plan = plan_groups(pool, PairHistory(), rng=random.Random(seed))
        assert plan.cross_team_share == 1.0
    # Both cross-team pairings met in the last two rounds: the same-team pairs are the fresh ones.
    history = PairHistory.from_rounds(
        [[("U0000", "U0003"), ("U0001", "U0002")], [("U0000", "U0002"), ("U0001", "U0003")]]
    )
    plan = plan_groups(pool, history, rng=random.Random(1))
    assert pairs_in(plan) == same_team
    assert plan.repeats == ()


# ----- the greedy method at scale (correctness only; speed is in benchmarks/) ------------------------


def test_two_thousand_people_without_repeats_or_broken_wishes():
    rng = random.Random(2000)
    offsets = [-480, -300, 0, 60, 330, 540]
    pool = [
        person(
            i, team=f"T{rng.randrange(40)}", level=rng.randint(1, 5), utc_offset_minutes=rng.choice(offsets)
        )
        for i in range(2001)
    ]
    avoid = [(f"U{i:04d}", f"U{rng.randrange(2001):04d}") for i in rng.sample(range(2001), 200)]
    policy = PairingPolicy(mix_levels=True)
    history = PairHistory()
    for _ in range(8):
        plan = plan_groups(pool, history, rng=rng, policy=policy, avoid=avoid)
        assert not plan.exact
        assert is_valid_plan(plan, pool, avoid)
        assert plan.repeats == ()
        assert plan.left_out == ()
        assert plan.cross_team_share > 0.95
        assert plan.mean_tz_overlap_hours > 7.5
        history = history.with_round([g.members for g in plan.groups])
    again = plan_groups(pool, history, rng=random.Random(9), policy=policy, avoid=avoid)
    assert again == plan_groups(
        list(reversed(pool)), history, rng=random.Random(9), policy=policy, avoid=avoid
    )


def test_the_greedy_places_someone_only_a_few_may_meet():
    pool = [person(i) for i in range(EXACT_LIMIT + 50)]
    # U0000 avoids everyone but U0149, the last in the pool.
    avoid = [("U0000", f"U{i:04d}") for i in range(1, EXACT_LIMIT + 49)]
    plan = plan_groups(pool, PairHistory(), rng=random.Random(1), avoid=avoid)
    assert is_valid_plan(plan, pool, avoid)
    assert plan.left_out == ()
    assert frozenset({"U0000", f"U{EXACT_LIMIT + 49:04d}"}) in pairs_in(plan)


# ----- is_valid_plan ----------------------------------------------------------------------------------


def test_is_valid_plan_accepts_well_formed_plans_and_rejects_malformed_ones():
    pool = [person(i) for i in range(6)]
    a, b, c, d, e, f = ids(pool)

    def plan(*groups: tuple[str, ...], left: tuple[str, ...] = ()) -> Plan:
        return Plan(tuple(Group(g, g[-1]) for g in groups), (), left, 0.0)

    assert is_valid_plan(plan((a, b), (c, d), (e, f)), pool)
    assert is_valid_plan(plan((a, b), (c, d, e), left=(f,)), pool)  # 5 placed: one trio
    assert is_valid_plan(plan((a, b), (c, d), left=(e, f)), pool)
    assert not is_valid_plan(plan((a, b), (c, d)), pool)  # e and f missing
    assert not is_valid_plan(plan((a, b), (c, d), (e, f), left=(a,)), pool)  # a twice
    assert not is_valid_plan(plan((a, b), (c, d), (e, f, "Z")), pool)  # a stranger
    assert not is_valid_plan(plan((a, b, c), (d, e, f)), pool)  # two trios for an even count
    assert not is_valid_plan(plan((a,), (b, c), (d, e, f)), pool)  # a group of one
    assert not is_valid_plan(plan((a, b, c, d), (e, f)), pool)  # a group of four
    assert not is_valid_plan(plan((a, b), (c, d), (e, f)), pool, avoid=[(b, a)])
    assert is_valid_plan(plan((a, b), (c, d), (e, f)), pool, avoid=[(a, c), (a, a), (a, "Z")])
    assert not is_valid_plan(Plan((Group((a, b), c), Group((c, d), c), Group((e, f), e)), (), (), 0.0), pool)


def _recency_key(pairs, history: PairHistory, window: int) -> list[int]:
    """The round each repeat last met in (1 = the oldest), most recent first: a smaller key is a better
    plan (fewer repeats from the most recent round, then from the one before, ...)."""
    since = [history.rounds_since(*sorted(pair)) for pair in pairs]
    return sorted((history.rounds - s + 1 for s in since if s is not None and s <= window), reverse=True)


def _perfect_matchings(people: list[str]):
    if not people:
        yield []
        return
    first, rest = people[0], people[1:]
    for k, partner in enumerate(rest):
        for more in _perfect_matchings(rest[:k] + rest[k + 1 :]):
            yield [(first, partner), *more]


@settings(max_examples=40, deadline=None)
@given(n=st.sampled_from([6, 8, 10]), rounds=st.integers(1, 60), seed=st.integers(0, 2**32))
def test_with_many_past_rounds_the_plan_repeats_the_oldest_meetings_as_brute_force_does(n, rounds, seed):
    # Each past round paired only a few of the pool (the rest were away), so nearly every pair met in
    # a round of its own: more rounds of repeats than the matching's weights hold one tier each for.
    rng = random.Random(seed)
    pool = [person(i) for i in range(n)]
    past = []
    for _ in range(rounds):
        people = rng.sample(ids(pool), 2 * rng.randint(1, 2))
        past.append([tuple(people[k : k + 2]) for k in range(0, len(people), 2)])
    history = PairHistory.from_rounds(past)
    window = 60
    plan = plan_groups(pool, history, rng=rng, policy=PairingPolicy(repeat_window=window))
    best = min(_recency_key(m, history, window) for m in _perfect_matchings(ids(pool)))
    pairs = [g.members for g in plan.groups]
    assert all(len(g) == 2 for g in pairs)
    assert _recency_key(pairs, history, window) == best


def test_a_long_window_over_a_small_pool_repeats_the_oldest_round():
    # 30 people, every pair met once in a round robin of 29 rounds, a window of a year: the one
    # round met longest ago is the only plan with no more recent repeat.
    pool = [person(i) for i in range(30)]
    rounds = circle_rounds(ids(pool))
    history = PairHistory.from_rounds(rounds)
    for seed in range(3):
        plan = plan_groups(pool, history, rng=random.Random(seed), policy=PairingPolicy(repeat_window=52))
        assert pairs_in(plan) == {frozenset(p) for p in rounds[0]}


def test_with_more_past_rounds_than_the_weights_hold_the_latest_repeat_is_still_the_oldest_possible():
    # 12 people, each of the 66 pairs met in a round of its own, U0000's pairs last: every plan
    # repeats, and one of U0000's meetings at least 56 rounds back is the most recent it must use.
    # (Beyond what the weights hold, the oldest rounds count alike: see exact._repeat_tiers.)
    pool = [person(i) for i in range(12)]
    users = ids(pool)
    rng = random.Random(5)
    others = list(itertools.combinations(users[1:], 2))
    rng.shuffle(others)
    history = PairHistory.from_rounds([[pair] for pair in others + [(users[0], u) for u in users[1:]]])
    for seed in range(3):
        plan = plan_groups(pool, history, rng=random.Random(seed), policy=PairingPolicy(repeat_window=100))
        key = _recency_key([g.members for g in plan.groups], history, 100)
        best = min(_recency_key(m, history, 100) for m in _perfect_matchings(users))
        assert len(key) == len(best) == 6
        assert key[0] == best[0] == 56
