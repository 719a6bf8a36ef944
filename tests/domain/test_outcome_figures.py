"""Outcome figures from counts: the 5-of-7 threshold scaled, shares, and no average under 5 ratings."""

from __future__ import annotations

from app.domain.program_outcomes import PairHistory, outcomes, threshold


def test_the_threshold_is_five_of_seven_scaled_up():
    assert [threshold(n) for n in (1, 3, 6, 7, 10)] == [1, 3, 5, 5, 8]


def test_shares_and_satisfaction():
    pairs = [PairHistory(5, False, False), PairHistory(4, True, False), PairHistory(0, False, True)]
    few = outcomes(invited=9, applied=6, matched=6, first_session=4, pairs=pairs, ratings=[5, 4], sessions=7)
    assert (few.completed, few.ended, few.rematched) == (1, 1, 1)
    assert round(few.completion, 3) == 0.333 and few.satisfaction is None
    many = outcomes(
        invited=9, applied=6, matched=6, first_session=4, pairs=pairs, ratings=[5, 4, 3, 4, 4], sessions=7
    )
    assert many.satisfaction == 4.0
    assert (
        outcomes(
            invited=0, applied=0, matched=0, first_session=0, pairs=[], ratings=[], sessions=7
        ).completion
        == 0
    )
