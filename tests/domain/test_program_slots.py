"""Session times for a program pair: whole sessions inside both working days, one per day."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.domain.model import DEFAULT_WINDOWS, WeeklyWindow, WorkingHours
from app.domain.program_slots import session_slots

BERLIN, NEW_YORK = ZoneInfo("Europe/Berlin"), ZoneInfo("America/New_York")
MONDAY = datetime(2027, 3, 1, 6, 0, tzinfo=UTC)


def test_a_berlin_mentor_and_a_new_york_mentee_meet_in_the_overlap():
    mentor = WorkingHours(DEFAULT_WINDOWS, "Europe/Berlin")
    mentee = WorkingHours(DEFAULT_WINDOWS, "America/New_York")
    starts = session_slots(mentor, mentee, timedelta(minutes=60), MONDAY, MONDAY + timedelta(days=7))
    assert len(starts) == 3 and starts == sorted(starts)
    assert len({s.astimezone(NEW_YORK).date() for s in starts}) == 3
    for s in starts:
        here, there = s.astimezone(BERLIN), s.astimezone(NEW_YORK)
        assert here.time() >= time(15) and (here + timedelta(minutes=60)).time() <= time(17)
        assert there.time() >= time(9) and here.minute in (0, 30)
    assert starts[0] == datetime(2027, 3, 1, 14, 0, tzinfo=UTC)  # Monday 15:00 Berlin, 09:00 New York


def test_a_session_longer_than_the_overlap_has_no_time():
    mentor = WorkingHours((WeeklyWindow(0, time(9), time(9, 45)),), "UTC")
    mentee = WorkingHours(DEFAULT_WINDOWS, "UTC")
    assert session_slots(mentor, mentee, timedelta(minutes=60), MONDAY, MONDAY + timedelta(days=14)) == []
    thirty = session_slots(mentor, mentee, timedelta(minutes=30), MONDAY, MONDAY + timedelta(days=14))
    assert thirty == [datetime(2027, 3, 1, 9, tzinfo=UTC), datetime(2027, 3, 8, 9, tzinfo=UTC)]


def test_a_length_off_the_grid_is_refused():
    hours = WorkingHours(DEFAULT_WINDOWS, "UTC")
    with pytest.raises(ValueError):
        session_slots(hours, hours, timedelta(minutes=20), MONDAY, MONDAY + timedelta(days=7))
