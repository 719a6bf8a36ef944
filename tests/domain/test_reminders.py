"""The morning-of reminder on each person's clock, and the evening before for an early session."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from app.domain.reminders import reminder_at

BERLIN, NEW_YORK, KOLKATA = ZoneInfo("Europe/Berlin"), ZoneInfo("America/New_York"), ZoneInfo("Asia/Kolkata")
NOON_BERLIN = datetime(2026, 12, 5, 12, 0, tzinfo=BERLIN)  # 06:00 in New York, 16:30 in Kolkata


def test_the_morning_of_on_their_own_clock():
    assert reminder_at(NOON_BERLIN, BERLIN) == datetime(2026, 12, 5, 8, 0, tzinfo=BERLIN)
    assert reminder_at(NOON_BERLIN, KOLKATA) == datetime(2026, 12, 5, 8, 0, tzinfo=KOLKATA)


def test_an_early_session_is_reminded_the_evening_before():
    assert reminder_at(NOON_BERLIN, NEW_YORK) == datetime(2026, 12, 4, 18, 0, tzinfo=NEW_YORK)
    at_nine = datetime(2026, 12, 5, 9, 0, tzinfo=BERLIN)
    assert reminder_at(at_nine, BERLIN) == datetime(2026, 12, 5, 8, 0, tzinfo=BERLIN)  # exactly 1 h before
    assert reminder_at(datetime(2026, 12, 5, 8, 59, tzinfo=BERLIN), BERLIN).astimezone(BERLIN).hour == 18


def test_across_a_dst_change_it_stays_8_local():
    after_spring_forward = datetime(2026, 3, 8, 14, 0, tzinfo=NEW_YORK)  # DST began 02:00 that day
    assert reminder_at(after_spring_forward, NEW_YORK).astimezone(NEW_YORK).hour == 8
    assert reminder_at(after_spring_forward, NEW_YORK) == datetime(2026, 3, 8, 12, 0, tzinfo=UTC)


def test_naive_start_refused():
    with pytest.raises(ValueError):
        reminder_at(datetime(2026, 12, 5, 12), BERLIN)
