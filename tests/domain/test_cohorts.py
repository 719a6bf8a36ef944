"""Cohort matching (app.domain.cohorts): hard rules, the exact optimum against brute force, reasons."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.cohorts import (
    Adjustments,
    Applicant,
    CohortRules,
    ProgramKind,
    Role,
    Rule,
    match_cohort,
)
from app.domain.cohorts_rules import cohort_matrices
from app.domain.errors import InvalidInput

REVERSE = CohortRules(ProgramKind.REVERSE, min_level_gap=2, other_team=True)


def mentor(uid: str, level: int | None, team: str | None = "eng", **kw: object) -> Applicant:
    return Applicant(uid, Role.MENTOR, team=team, level=level, **kw)  # type: ignore[arg-type]


def mentee(uid: str, level: int | None, team: str | None = "sales", **kw: object) -> Applicant:
    return Applicant(uid, Role.MENTEE, team=team, level=level, **kw)  # type: ignore[arg-type]


def test_reverse_pairs_mentors_two_levels_below_in_another_team_with_reasons() -> None:
    people = [
        mentor("M1", 1, interests=frozenset({"Climbing", "go"}), utc_offset_minutes=0, location="Berlin"),
        mentee("E1", 4, interests=frozenset({"climbing"}), utc_offset_minutes=60, location="Paris"),
    ]
    result = match_cohort(people, REVERSE)
    [pair] = result.pairs
    assert (pair.mentor, pair.mentee) == ("M1", "E1")
    assert pair.shared_interests == ("climbing",)
    assert pair.level_gap == 3
    assert pair.hours_overlap == 35  # Mon-Fri, 7 h a day at an hour apart
    assert pair.across_teams and pair.across_locations
    assert pair.points == 10 + 7 * 2 + 5
    assert result.unmatched == ()
    assert result.share_across_teams == 1.0


@pytest.mark.parametrize(
    ("people", "rule"),
    [
        ([mentor("M", 3), mentee("E", 4)], Rule.LEVEL_GAP),
        ([mentor("M", None), mentee("E", 5)], Rule.LEVEL_UNKNOWN),
        ([mentor("M", 1, team="sales"), mentee("E", 5, team="Sales ")], Rule.SAME_TEAM),
        ([mentor("M", 1, team=None), mentee("E", 5)], Rule.TEAM_UNKNOWN),
        ([mentor("M", 1, avoid=frozenset({"E"})), mentee("E", 5)], Rule.AVOID),
        ([mentor("M", 1), mentee("E", 5, avoid=frozenset({"M"}))], Rule.AVOID),
        ([mentee("E", 5)], Rule.NOBODY),
    ],
)
def test_each_hard_rule_leaves_both_unmatched_with_that_rule(people: list[Applicant], rule: Rule) -> None:
    result = match_cohort(people, REVERSE)
    assert result.pairs == ()
    assert {u.rule for u in result.unmatched if u.role is Role.MENTEE} == {rule}


def test_classic_wants_mentors_above_and_peer_either_way() -> None:
    people = [mentor("M", 5), mentee("E", 2)]
    assert match_cohort(people, REVERSE).pairs == ()
    assert len(match_cohort(people, CohortRules(ProgramKind.CLASSIC, 2, True)).pairs) == 1
    assert len(match_cohort(people, CohortRules(ProgramKind.PEER, 2, True)).pairs) == 1
    same_team = [mentor("M", 3, team="x"), mentee("E", 3, team="x")]
    assert len(match_cohort(same_team, CohortRules(ProgramKind.PEER, 0, False)).pairs) == 1


def test_earlier_wave_partners_split_and_excluded_are_never_paired() -> None:
    people = [mentor("M1", 1), mentor("M2", 1), mentee("E1", 5), mentee("E2", 5)]
    earlier = Adjustments(earlier=frozenset({frozenset({"M1", "E1"})}))
    pairs = {(p.mentor, p.mentee) for p in match_cohort(people, REVERSE, adjustments=earlier).pairs}
    assert pairs == {("M1", "E2"), ("M2", "E1")}
    split = Adjustments(split=frozenset({("M1", "E2")}), earlier=earlier.earlier)
    result = match_cohort(people, REVERSE, adjustments=split)
    assert {(p.mentor, p.mentee) for p in result.pairs} == {("M2", "E1")}
    assert {u.user_id: u.rule for u in result.unmatched} == {
        "M1": Rule.SPLIT,
        "E2": Rule.TAKEN,
    }  # a tie: the first rule in order
    gone = match_cohort(people, REVERSE, adjustments=Adjustments(excluded=frozenset({"E1"})))
    assert [u.rule for u in gone.unmatched if u.user_id == "E1"] == [Rule.EXCLUDED]


def test_locked_pairs_stay_and_a_lock_that_breaks_a_rule_is_refused() -> None:
    people = [
        mentor("M1", 1, interests=frozenset({"a"})),
        mentor("M2", 1),
        mentee("E1", 5, interests=frozenset({"a"})),
    ]
    assert [p.mentor for p in match_cohort(people, REVERSE).pairs] == ["M1"]
    locked = match_cohort(people, REVERSE, adjustments=Adjustments(locked=frozenset({("M2", "E1")})))
    assert [(p.mentor, p.locked) for p in locked.pairs] == [("M2", True)]
    with pytest.raises(InvalidInput, match="same team"):
        match_cohort(
            [mentor("M", 1, team="x"), mentee("E", 5, team="x")],
            REVERSE,
            adjustments=Adjustments(locked=frozenset({("M", "E")})),
        )


def test_capacity_lets_one_mentor_take_several() -> None:
    people = [mentor("M", 1), mentee("E1", 5), mentee("E2", 4), mentee("E3", 3)]
    two = CohortRules(ProgramKind.REVERSE, 2, True, capacity=2)
    result = match_cohort(people, two)
    assert len(result.pairs) == 2
    assert [u.rule for u in result.unmatched] == [Rule.TAKEN]


def test_same_inputs_and_seed_give_the_same_pairs() -> None:
    people = [mentor(f"M{i}", 1) for i in range(6)] + [mentee(f"E{i}", 4) for i in range(6)]
    runs = {match_cohort(people, REVERSE, seed=7).pairs for _ in range(3)}
    assert len(runs) == 1


# --- the exact optimum, against brute force on small random cohorts ---

TEAMS = st.sampled_from(["a", "b", "c", None])
TAGS = st.frozensets(st.sampled_from(["go", "chess", "run", "art"]), max_size=3)


@st.composite
def cohorts(draw: st.DrawFn) -> tuple[list[Applicant], CohortRules, Adjustments]:
    kind = draw(st.sampled_from(list(ProgramKind)))
    rules = CohortRules(kind, draw(st.integers(0, 3)), draw(st.booleans()), draw(st.integers(1, 2)))
    people = []
    for role, prefix, count in (
        (Role.MENTOR, "M", draw(st.integers(0, 4))),
        (Role.MENTEE, "E", draw(st.integers(0, 4))),
    ):
        for k in range(count):
            people.append(
                Applicant(
                    f"{prefix}{k}",
                    role,
                    team=draw(TEAMS),
                    level=draw(st.one_of(st.none(), st.integers(1, 5))),
                    interests=draw(TAGS),
                    location=draw(st.sampled_from(["x", "y", None])),
                    utc_offset_minutes=draw(
                        st.one_of(st.none(), st.sampled_from([-480, -300, 0, 60, 330, 540]))
                    ),
                )
            )
    mentors = [p.user_id for p in people if p.role is Role.MENTOR]
    mentees = [p.user_id for p in people if p.role is Role.MENTEE]
    cross = [(m, e) for m in mentors for e in mentees]
    split = draw(st.frozensets(st.sampled_from(cross), max_size=3)) if cross else frozenset()
    earlier = draw(st.frozensets(st.sampled_from(cross).map(frozenset), max_size=2)) if cross else frozenset()
    return people, rules, Adjustments(split=split, earlier=earlier)


def brute_force(people: list[Applicant], rules: CohortRules, adj: Adjustments) -> tuple[int, int]:
    mentees = sorted((p for p in people if p.role is Role.MENTEE), key=lambda p: p.user_id)
    mentors = sorted((p for p in people if p.role is Role.MENTOR), key=lambda p: p.user_id)
    cm = cohort_matrices(mentees, mentors, rules, adj)
    best = (0, 0)
    for choice in itertools.product([None, *range(len(mentors))], repeat=len(mentees)):
        used = [j for j in choice if j is not None]
        if any(used.count(j) > rules.capacity for j in used):
            continue
        if any(j is not None and cm.rule[i, j] >= 0 for i, j in enumerate(choice)):
            continue
        pts = sum(int(cm.points[i, j]) for i, j in enumerate(choice) if j is not None)
        best = max(best, (len(used), pts))
    return best


@settings(max_examples=300, deadline=None)
@given(cohorts(), st.integers(0, 2**32))
def test_the_result_is_the_brute_force_optimum_and_breaks_no_rule(
    cohort: tuple[list[Applicant], CohortRules, Adjustments], seed: int
) -> None:
    people, rules, adj = cohort
    result = match_cohort(people, rules, adjustments=adj, seed=seed)
    assert (len(result.pairs), result.total_points) == brute_force(people, rules, adj)
    mentees = sorted((p for p in people if p.role is Role.MENTEE), key=lambda p: p.user_id)
    mentors = sorted((p for p in people if p.role is Role.MENTOR), key=lambda p: p.user_id)
    cm = cohort_matrices(mentees, mentors, rules, adj)
    row = {p.user_id: i for i, p in enumerate(mentees)}
    col = {p.user_id: j for j, p in enumerate(mentors)}
    for pair in result.pairs:
        assert cm.rule[row[pair.mentee], col[pair.mentor]] < 0
    per_mentor = [p.mentor for p in result.pairs]
    assert all(per_mentor.count(m) <= rules.capacity for m in per_mentor)
    assert len({p.mentee for p in result.pairs}) == len(result.pairs)
    seen = {p.mentee for p in result.pairs} | set(per_mentor) | {u.user_id for u in result.unmatched}
    assert seen == {p.user_id for p in people}
