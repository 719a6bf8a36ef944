"""`sides=` of an "across two groups" pool: what is read, and which side each person is on."""

from __future__ import annotations

import pytest

from app.domain.pairing import Participant
from app.services.coffee.sides import SideRule, read_sides


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("mentors", SideRule("mentors")),
        ("team:Eng|Sales", SideRule("team", "eng", "sales")),
        ("office: Berlin | London", SideRule("office", "berlin", "london")),
        ("level:1-2|3-5", SideRule("level", "1-2", "3-5")),
        ("level:1|5", SideRule("level", "1", "5")),
    ],
)
def test_the_sides_a_setting_names(text, rule):
    assert read_sides(text) == rule


@pytest.mark.parametrize(
    "text", [None, 3, "", "team:Eng", "team:Eng|eng", "desk:A|B", "level:1-3|3-5", "level:0|2", "level:3-1|4"]
)
def test_sides_that_cannot_be_read(text):
    assert read_sides(text) is None


def test_each_person_is_on_one_side_or_neither():
    bands = read_sides("level:1-2|3-5")
    assert bands is not None
    assert [bands.side(Participant("U", level=level), None) for level in (1, 2, 3, 5, None)] == [
        True,
        True,
        False,
        False,
        None,
    ]
    offices = read_sides("office:Berlin|London")
    assert offices is not None
    assert [offices.side(Participant("U"), o) for o in ("BERLIN", "london", "Paris", None)] == [
        True,
        False,
        None,
        None,
    ]
