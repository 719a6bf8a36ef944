from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.errors import InvalidInput
from app.domain.schedule import RoundSchedule, latest_due, next_after

WEEKLY_MONDAY_9_BERLIN = RoundSchedule(1, 0, time(9, 0), "Europe/Berlin", date(2026, 1, 5))


def test_weekly_monday_morning_in_berlin_winter_and_summer():
    winter = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)  # a Wednesday
    assert latest_due(WEEKLY_MONDAY_9_BERLIN, winter) == datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # CET
    assert next_after(WEEKLY_MONDAY_9_BERLIN, winter) == datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    summer = datetime(2026, 7, 1, tzinfo=UTC)
    assert latest_due(WEEKLY_MONDAY_9_BERLIN, summer) == datetime(2026, 6, 29, 7, 0, tzinfo=UTC)  # CEST


def test_exactly_at_the_time_counts_as_due():
    at = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    assert latest_due(WEEKLY_MONDAY_9_BERLIN, at) == at
    assert next_after(WEEKLY_MONDAY_9_BERLIN, at) == at + timedelta(weeks=1)


def test_every_two_weeks_counts_from_the_anchor():
    fortnightly = RoundSchedule(2, 0, time(9, 0), "UTC", date(2026, 11, 2))
    assert latest_due(fortnightly, datetime(2026, 11, 24, tzinfo=UTC)) == datetime(
        2026, 11, 16, 9, tzinfo=UTC
    )
    assert next_after(fortnightly, datetime(2026, 11, 24, tzinfo=UTC)) == datetime(
        2026, 11, 30, 9, tzinfo=UTC
    )


def test_nothing_is_due_before_the_anchor():
    assert latest_due(WEEKLY_MONDAY_9_BERLIN, datetime(2025, 12, 1, tzinfo=UTC)) is None


def test_a_time_lost_to_spring_forward_moves_on_by_the_gap():
    at_0230 = RoundSchedule(1, 6, time(2, 30), "Europe/Berlin", date(2026, 1, 4))  # Sundays 02:30
    due = latest_due(at_0230, datetime(2026, 3, 29, 12, tzinfo=UTC))  # the night clocks jump 02:00 -> 03:00
    assert due == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # 03:30 CEST


def test_rejects_other_intervals():
    with pytest.raises(InvalidInput):
        RoundSchedule(3, 0, time(9), "UTC", date(2026, 1, 5))


@given(
    every=st.sampled_from([1, 2, 4]),
    weekday=st.integers(0, 6),
    hour=st.integers(0, 23),
    tz=st.sampled_from(["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Pacific/Auckland"]),
    now=st.datetimes(min_value=datetime(2026, 2, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC)),
)
def test_latest_due_and_next_after_bracket_now(every, weekday, hour, tz, now):
    schedule = RoundSchedule(every, weekday, time(hour, 0), tz, date(2026, 1, 1))
    before, after = latest_due(schedule, now), next_after(schedule, now)
    assert before is not None and before <= now < after
    assert (
        timedelta(weeks=every) - timedelta(hours=2)
        <= after - before
        <= timedelta(weeks=every) + timedelta(hours=2)
    )
