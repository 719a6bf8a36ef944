"""AboutService: a person's working hours, team and level, in one transaction each."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest
from clocks import TestClock

from app.db.engine import create_session_factory
from app.db.models import Member
from app.domain.errors import InvalidInput
from app.domain.model import DEFAULT_WINDOWS, WeeklyWindow, WorkingHours
from app.services.members import AboutService, working_hours
from app.services.people import Person


@pytest.fixture
def about(engine):
    return AboutService(create_session_factory(engine), clock=TestClock(datetime(2027, 1, 6, 9, tzinfo=UTC)))


def person():
    return Person("UASH", "Ash", "America/New_York")


def test_someone_new_has_the_default_hours_in_their_zone(about):
    seen = about.about(person())
    assert (seen.hours, seen.hours_set, seen.team, seen.level, seen.tz) == (
        DEFAULT_WINDOWS,
        False,
        None,
        None,
        "America/New_York",
    )


def test_own_hours_are_kept_and_the_default_is_stored_as_not_set(about, engine):
    early = tuple(WeeklyWindow(day, time(6), time(14)) for day in range(4))
    saved = about.save(person(), hours=early, team="Payments", level=3)
    assert saved.hours == early and saved.hours_set and (saved.team, saved.level) == ("Payments", 3)
    with create_session_factory(engine)() as session:
        member = session.get(Member, "UASH")
        assert working_hours(member) == WorkingHours(early, "America/New_York")
    back = about.save(person(), hours=DEFAULT_WINDOWS, team=None, level=None)
    assert not back.hours_set
    with create_session_factory(engine)() as session:
        member = session.get(Member, "UASH")
        assert member.work_windows is None and working_hours(member).windows == DEFAULT_WINDOWS


def test_no_hours_or_broken_hours_are_refused_and_nothing_is_saved(about, engine):
    with pytest.raises(InvalidInput):
        about.save(person(), hours=(), team="x", level=None)
    with pytest.raises(InvalidInput):
        about.save(person(), hours=(WeeklyWindow(0, time(12), time(9)),), team="x", level=None)
    with create_session_factory(engine)() as session:
        assert session.get(Member, "UASH") is None
