"""Programs' matching reads people's own working hours and zones, interests as normalised tags, and the
roles a program's kind leaves each level (#13)."""

from __future__ import annotations

from datetime import date, time

import pytest

from app.domain.cohort_hours import offset_week, overlap_hours, utc_week
from app.domain.cohorts import Applicant, CohortRules, ProgramKind, Role, match_cohort
from app.domain.cohorts_rules import fitting_roles, role_refusal
from app.domain.errors import InvalidInput
from app.domain.interests import parse_tags, read_tags
from app.domain.model import DEFAULT_WINDOWS, WeeklyWindow

REVERSE = CohortRules(ProgramKind.REVERSE, min_level_gap=2, other_team=True)
JANUARY = date(2027, 1, 13)  # a winter week: Berlin is UTC+1, New York UTC-5
JULY = date(2027, 7, 14)  # summer: UTC+2 and UTC-4


def mornings(days: range = range(5)) -> tuple[WeeklyWindow, ...]:
    return tuple(WeeklyWindow(d, time(7, 0), time(11, 0)) for d in days)


def test_default_weeks_an_hour_apart_share_seven_hours_a_day() -> None:
    berlin = utc_week(DEFAULT_WINDOWS, "Europe/Berlin", JANUARY)
    london = utc_week(DEFAULT_WINDOWS, "Europe/London", JANUARY)
    assert overlap_hours([berlin], [london])[0, 0] == 35


def test_stored_hours_count_not_nine_to_five() -> None:
    # A New York early bird (07-11) and a Berlin default day: 13-17 Berlin is 07-11 New York in winter.
    early = utc_week(mornings(), "America/New_York", JANUARY)
    berlin = utc_week(DEFAULT_WINDOWS, "Europe/Berlin", JANUARY)
    assert overlap_hours([early], [berlin])[0, 0] == 5 * 4
    # With 09-17 assumed for both they would share only 2 hours a day.
    assumed = utc_week(DEFAULT_WINDOWS, "America/New_York", JANUARY)
    assert overlap_hours([assumed], [berlin])[0, 0] == 5 * 2


def test_the_reference_week_sets_daylight_saving() -> None:
    # Berlin and New York move on different Sundays in March: in between they are 5 hours apart, not 6.
    ny, berlin = "America/New_York", "Europe/Berlin"
    for day, hours in ((JANUARY, 2), (date(2027, 3, 17), 3), (JULY, 2)):
        got = overlap_hours([utc_week(DEFAULT_WINDOWS, ny, day)], [utc_week(DEFAULT_WINDOWS, berlin, day)])
        assert got[0, 0] == 5 * hours, day


def test_a_week_crossing_midnight_utc_wraps_and_half_hour_zones_count() -> None:
    sydney = utc_week(DEFAULT_WINDOWS, "Australia/Sydney", JANUARY)  # Monday 09:00 is Sunday 22:00 UTC
    assert sum(b - a for a, b in sydney) == 5 * 8 * 60
    assert any(b == 7 * 24 * 60 for _, b in sydney)
    kolkata = utc_week(DEFAULT_WINDOWS, "Asia/Kolkata", JANUARY)
    assert overlap_hours([kolkata], [offset_week(330)])[0, 0] == 40
    assert overlap_hours([kolkata], [None])[0, 0] == 0


def test_matching_prefers_the_mentor_whose_stored_hours_overlap() -> None:
    ny_early = utc_week(mornings(), "America/New_York", JANUARY)
    mentee = Applicant("E", Role.MENTEE, team="sales", level=5, week=ny_early)
    night = tuple(WeeklyWindow(d, time(19, 0), time(23, 0)) for d in range(5))
    late = Applicant("M1", Role.MENTOR, team="eng", level=1, week=utc_week(night, "Europe/Berlin", JANUARY))
    berlin = utc_week(DEFAULT_WINDOWS, "Europe/Berlin", JANUARY)
    day = Applicant("M2", Role.MENTOR, team="eng", level=1, week=berlin)
    [pair] = match_cohort([mentee, late, day], REVERSE).pairs
    assert (pair.mentor, pair.hours_overlap) == ("M2", 20)
    # On 09-17 assumed everywhere (the offsets alone) the late mentor would have looked just as good.
    assumed = [
        Applicant("E", Role.MENTEE, team="sales", level=5, utc_offset_minutes=-300),
        Applicant("M1", Role.MENTOR, team="eng", level=1, utc_offset_minutes=60),
    ]
    assert match_cohort(assumed, REVERSE).pairs[0].hours_overlap == 10


def test_interests_become_normalised_tags() -> None:
    assert parse_tags("Chess,  Rock   Climbing ;#Go|chess\n product design.") == (
        "chess",
        "rock climbing",
        "go",
        "product design",
    )
    assert parse_tags("#chess #go") == ("chess", "go")
    assert parse_tags(" , ;") == ()
    with pytest.raises(InvalidInput, match="at most 10"):
        parse_tags(",".join(f"t{k}" for k in range(11)))
    with pytest.raises(InvalidInput, match="longer than 30"):
        parse_tags("a" * 31)
    # Older free text reads through the same normaliser and never refuses.
    assert read_tags("Chess, Go ,chess,,") == ("chess", "go")
    assert len(read_tags(",".join(f"t{k}" for k in range(15)))) == 10


def test_shared_interests_score_on_normalised_tags() -> None:
    mentee = Applicant("E", Role.MENTEE, team="s", level=5, interests=frozenset({"Rock  Climbing", "GO"}))
    mentor = Applicant("M", Role.MENTOR, team="e", level=1, interests=frozenset({"rock climbing", "go "}))
    [pair] = match_cohort([mentee, mentor], REVERSE).pairs
    assert pair.shared_interests == ("go", "rock climbing")
    assert pair.points == 20


@pytest.mark.parametrize(
    ("kind", "level", "roles"),
    [
        (ProgramKind.REVERSE, 1, (Role.MENTOR,)),
        (ProgramKind.REVERSE, 3, (Role.MENTOR, Role.MENTEE)),
        (ProgramKind.REVERSE, 5, (Role.MENTEE,)),
        (ProgramKind.CLASSIC, 1, (Role.MENTEE,)),
        (ProgramKind.CLASSIC, 5, (Role.MENTOR,)),
        (ProgramKind.PEER, 1, (Role.MENTOR, Role.MENTEE)),
        (ProgramKind.PEER, 5, (Role.MENTOR, Role.MENTEE)),
        (ProgramKind.REVERSE, None, (Role.MENTOR, Role.MENTEE)),
    ],
)
def test_the_kind_sets_which_roles_a_level_may_take(kind: ProgramKind, level: int, roles: tuple) -> None:
    assert fitting_roles(CohortRules(kind, 2), level) == roles


def test_a_role_the_kind_rules_out_is_refused_with_the_way_round() -> None:
    words = role_refusal(REVERSE, Role.MENTOR, 5)
    assert words is not None and "a mentor is 2+ levels below their mentee" in words
    assert "Apply as a mentee" in words
    classic = role_refusal(CohortRules(ProgramKind.CLASSIC, 2), Role.MENTOR, 1)
    assert classic is not None and "2+ levels above their mentee" in classic
    assert (
        role_refusal(CohortRules(ProgramKind.PEER, 3), Role.MENTEE, 3) is not None
    )  # 0 and 6: off the scale
    assert role_refusal(CohortRules(ProgramKind.PEER, 0), Role.MENTEE, 3) is None
    assert role_refusal(REVERSE, Role.MENTEE, 5) is None
