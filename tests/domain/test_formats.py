"""The hybrid formats' rules: what a host may plan, and the words when a plan breaks one."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.errors import InvalidInput
from app.domain.formats import (
    MAX_SEATS,
    RULES,
    Format,
    SessionPlan,
    Where,
    validate_link,
    validate_plan,
)

NOW = datetime(2027, 1, 6, 9, 0, tzinfo=UTC)
OFFICES = {"Berlin", "Lisbon"}


def plan(**changes) -> SessionPlan:
    base = SessionPlan(
        format=Format.GROUP,
        title="  Office hours:   career questions ",
        start=NOW + timedelta(days=2),
        length=timedelta(minutes=45),
        seats=5,
        where=Where.ONLINE,
        link="https://meet.example.com/abc-defg",
    )
    return replace(base, **changes)


def test_a_good_plan_is_kept_with_its_text_tidied():
    checked = validate_plan(plan(), now=NOW, offices=OFFICES)
    assert checked.title == "Office hours: career questions"
    assert checked.link == "https://meet.example.com/abc-defg" and checked.office is None


def test_seats_stop_at_seven_because_a_group_dm_holds_eight():
    assert MAX_SEATS == 7
    validate_plan(plan(seats=7), now=NOW, offices=OFFICES)
    for seats in (1, 8, 0, -1):
        with pytest.raises(InvalidInput, match=r"2 to 7 seats \(a Slack group DM holds 8 people"):
            validate_plan(plan(seats=seats), now=NOW, offices=OFFICES)
    with pytest.raises(InvalidInput, match=r"Group lunch has 2 to 6 seats\.$"):
        validate_plan(
            plan(
                format=Format.GROUP_LUNCH,
                seats=7,
                length=timedelta(hours=1),
                where=Where.IN_PERSON,
                office="Berlin",
            ),
            now=NOW,
            offices=OFFICES,
        )


@pytest.mark.parametrize(
    ("fmt", "length", "words"),
    [
        (
            Format.GROUP,
            timedelta(minutes=15),
            "Group mentoring lasts 30 minutes to 1 hour, in quarter hours.",
        ),
        (
            Format.GROUP,
            timedelta(minutes=70),
            "Group mentoring lasts 30 minutes to 1 hour, in quarter hours.",
        ),
        (
            Format.GROUP,
            timedelta(minutes=40),
            "Group mentoring lasts 30 minutes to 1 hour, in quarter hours.",
        ),
        (Format.COWORKING, timedelta(hours=5), "Coworking lasts 1 hour to 4 hours, in quarter hours."),
        (Format.GROUP_LUNCH, timedelta(minutes=45), "Group lunch lasts 1 hour."),
    ],
)
def test_a_length_outside_the_format_s_range_is_refused_in_words(fmt, length, words):
    where = Where.IN_PERSON if fmt == Format.GROUP_LUNCH else Where.ONLINE
    with pytest.raises(InvalidInput) as refused:
        validate_plan(plan(format=fmt, length=length, where=where, office="Berlin"), now=NOW, offices=OFFICES)
    assert refused.value.message == words


def test_times_in_the_past_or_more_than_ninety_days_ahead_are_refused():
    with pytest.raises(InvalidInput, match="passed"):
        validate_plan(plan(start=NOW), now=NOW, offices=OFFICES)
    with pytest.raises(InvalidInput, match="90 days"):
        validate_plan(plan(start=NOW + timedelta(days=90, minutes=1)), now=NOW, offices=OFFICES)
    validate_plan(plan(start=NOW + timedelta(days=90)), now=NOW, offices=OFFICES)


def test_in_person_needs_an_office_from_the_admins_list_and_lunch_is_never_online():
    with pytest.raises(InvalidInput, match=r"Pick one of the offices \(Berlin, Lisbon\)"):
        validate_plan(plan(where=Where.IN_PERSON, office="Paris"), now=NOW, offices=OFFICES)
    with pytest.raises(InvalidInput, match="none yet: an admin adds them"):
        validate_plan(plan(where=Where.IN_PERSON, office="Berlin"), now=NOW, offices=set())
    kept = validate_plan(
        plan(where=Where.IN_PERSON, office="Berlin", place="  Room   4.2 "), now=NOW, offices=OFFICES
    )
    assert (kept.office, kept.place, kept.link) == ("Berlin", "Room 4.2", None)
    lunch = plan(format=Format.GROUP_LUNCH, length=timedelta(hours=1), where=Where.ONLINE)
    with pytest.raises(InvalidInput, match=r"Group lunch happens in person\."):
        validate_plan(lunch, now=NOW, offices=OFFICES)


def test_the_title_and_description_have_limits():
    with pytest.raises(InvalidInput, match="title"):
        validate_plan(plan(title="   "), now=NOW, offices=OFFICES)
    with pytest.raises(InvalidInput, match="at most 80"):
        validate_plan(plan(title="x" * 81), now=NOW, offices=OFFICES)
    with pytest.raises(InvalidInput, match="500 characters"):
        validate_plan(plan(description="x" * 501), now=NOW, offices=OFFICES)


@pytest.mark.parametrize(
    "link",
    [
        "http://meet.example.com/abc",
        "javascript:alert(1)",
        "https://",
        "https://localhost/x",
        "https://meet.example.com/a b",
        "https://user:pw@meet.example.com/abc",
        "ftp://meet.example.com",
        "https://" + "a" * 500 + ".com",
        "<https://evil.example.com|https://meet.example.com>",
    ],
)
def test_only_https_meeting_links_with_a_host_name(link):
    with pytest.raises(InvalidInput):
        validate_link(link)


def test_an_empty_link_means_meeting_in_the_group_dm():
    assert validate_plan(plan(link="  "), now=NOW, offices=OFFICES).link is None


@given(seats=st.integers(min_value=-3, max_value=12), minutes=st.integers(min_value=0, max_value=300))
def test_every_format_accepts_exactly_its_ranges(seats, minutes):
    for fmt, rules in RULES.items():
        where = sorted(rules.places)[0]
        candidate = plan(
            format=fmt,
            seats=seats,
            length=timedelta(minutes=minutes),
            where=where,
            office="Berlin",
            link=None,
        )
        ok = (
            rules.min_seats <= seats <= rules.max_seats
            and rules.min_length <= timedelta(minutes=minutes) <= rules.max_length
            and minutes % 15 == 0
        )
        try:
            validate_plan(candidate, now=NOW, offices=OFFICES)
            accepted = True
        except InvalidInput:
            accepted = False
        assert accepted == ok, (fmt, seats, minutes)
