"""Reverse asks: the hard rules (open to it, the level gap, another team; unknown is a no), why nobody fit."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.domain.meeting import ReverseShortfall, fits_reverse, may_mentor, reverse_shortfall
from app.domain.model import AskSpec, Mentor

NOW = datetime(2027, 1, 6, 9, tzinfo=UTC)


def mentor(user_id="UM", level=1, team="Data", reverse_ok=True):
    return Mentor(
        user_id=user_id, topics=frozenset(), tz="UTC", level=level, team=team, reverse_ok=reverse_ok
    )


def ask(level=4, team="Payments", gap=2):
    return AskSpec(
        asker_id="UA", goal="g", asker_level=level, asker_team=team, reverse=True, min_level_gap=gap
    )


@pytest.mark.parametrize(
    ("the_mentor", "the_ask", "fits"),
    [
        (mentor(), ask(), True),
        (mentor(level=2), ask(), True),  # exactly the gap
        (mentor(level=3), ask(), False),  # one level below is not reverse enough
        (mentor(level=3), ask(gap=1), True),
        (mentor(reverse_ok=False), ask(), False),
        (mentor(team="payments"), ask(), False),  # the same team, whatever the case
        (mentor(level=None), ask(), False),
        (mentor(team=None), ask(), False),
        (mentor(), ask(level=None), False),
        (mentor(), ask(team=None), False),
        (mentor(level=5), ask(), False),  # above the asker
    ],
)
def test_the_hard_rules_of_a_reverse_pairing(the_mentor, the_ask, fits):
    assert fits_reverse(the_mentor, the_ask) is fits
    assert may_mentor(the_mentor, the_ask, NOW) is fits


def test_an_ordinary_ask_still_offers_a_junior_who_consents():
    ordinary = AskSpec(asker_id="UA", goal="g", asker_level=4)
    assert may_mentor(mentor(reverse_ok=True), ordinary, NOW)
    assert not may_mentor(mentor(reverse_ok=False), ordinary, NOW)


def test_why_nobody_fit_is_counted_over_those_open_to_it():
    mentors = [
        mentor("U1", team="Payments"),
        mentor("U2", team="payments"),
        mentor("U3", level=3),
        mentor("U4", level=None),
        mentor("U5", reverse_ok=False),
        mentor("UA"),  # the asker themself
    ]
    assert reverse_shortfall(mentors, ask(), NOW) == ReverseShortfall(
        open_to_it=4, in_your_team=2, too_close=1, unknown=1
    )
