"""The board's grouping (departments under five merged, "other" dropped when it would still point at
someone; pairs only with both consents) and the survey's figures (shares hidden under five answers)."""

from __future__ import annotations

import pytest

from app.domain.program_board import OTHER, PairProgress, by_department, ranked_pairs
from app.domain.program_survey import SurveyAnswer, survey_figures


def pair(k, mentor_team, mentee_team, held, due=2, named=False):
    return PairProgress(f"UM{k}", f"UE{k}", mentor_team, mentee_team, held, due, named)


def test_departments_under_five_are_merged_and_a_small_other_is_not_shown():
    pairs = [pair(k, "ops", "sales", 2 if k < 4 else 1) for k in range(5)]
    pairs += [pair(9, "legal", "hr", 2)]  # two people in small departments: "other" of 2, hidden
    rows = by_department(pairs)
    assert [(r.department, r.people, r.up_to_date) for r in rows] == [("ops", 5, 4), ("sales", 5, 4)]
    more = pairs + [pair(10 + k, "legal", None, 2) for k in range(3)]  # other: 2 + 3 legal + 3 none
    rows = by_department(more)
    assert rows[-1].department == OTHER and rows[-1].people == 8 and rows[-1].up_to_date == 8
    assert rows[0].share == pytest.approx(0.8)


def test_pairs_shown_only_when_both_agreed_unless_the_admin_looks():
    pairs = [pair(1, "a", "b", 1, named=True), pair(2, "a", "b", 3), pair(3, "a", "b", 2, named=True)]
    assert [p.mentor_id for p in ranked_pairs(pairs, everyone=False)] == ["UM3", "UM1"]
    assert [p.mentor_id for p in ranked_pairs(pairs, everyone=True)] == ["UM2", "UM3", "UM1"]
    assert pairs[1].up_to_date and not pairs[0].up_to_date


def test_survey_shares_beside_their_counts_and_hidden_under_five():
    good = SurveyAnswer("yes", "best", "extremely", "effective", True, True)
    poor = SurveyAnswer("no", "poor", "not", "somewhat", False, False)
    few = survey_figures([good] * 3 + [poor], asked=6)
    assert few.satisfied.shown is None and few.satisfied.part == 3 and few.alumni == 3
    figures = survey_figures([good] * 4 + [poor], asked=6)
    assert figures.goal_achieved.shown == pytest.approx(0.8)
    assert figures.business.shown == figures.personal.shown == figures.brand.shown == pytest.approx(0.8)
    assert figures.goal_partly.shown == 0 and figures.answers == 5 and figures.asked == 6


def test_an_answer_outside_the_choices_is_refused():
    with pytest.raises(ValueError, match="'great'"):
        SurveyAnswer("yes", "great", "effective", "effective", True, False)
