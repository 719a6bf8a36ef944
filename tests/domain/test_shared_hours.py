"""Slots in both people's day: zones far apart, and a daylight-saving change between them."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.model import DEFAULT_WINDOWS, SLOT_LENGTH, WeeklyWindow, WorkingHours
from app.domain.shared_hours import AskerDay, for_asker, shared_offer, time_of_day
from app.domain.slots import free_slots

TOKYO, LOS_ANGELES, SYDNEY, LONDON = "Asia/Tokyo", "America/Los_Angeles", "Australia/Sydney", "Europe/London"


def mentor_slots(tz: str, now: datetime, days: int = 7) -> list[datetime]:
    return free_slots(DEFAULT_WINDOWS, tz, [], 100, now=now, horizon=timedelta(days=days), lead=timedelta(0))


def test_tokyo_mentor_and_los_angeles_asker_share_the_end_of_the_asker_s_day_in_winter():
    # Monday 2027-01-04 00:00 UTC. Tokyo 09:00 (UTC+9) is 16:00 the day before in Los Angeles (UTC-8).
    now = datetime(2027, 1, 4, tzinfo=UTC)
    offer = shared_offer(mentor_slots(TOKYO, now), DEFAULT_WINDOWS, LOS_ANGELES, limit=100)
    assert offer.in_both_days
    local_starts = {s.local_start.strftime("%a %H:%M") for s in offer.slots}
    # Tokyo Tue-Fri 09:00-09:45 are Los Angeles Mon-Thu 16:00-16:45; Tokyo Monday is Sunday there.
    assert local_starts == {
        f"{day} {hm}" for day in ("Mon", "Tue", "Wed", "Thu") for hm in ("16:00", "16:15", "16:30", "16:45")
    }
    assert [s.start for s in offer.slots] == sorted(s.start for s in offer.slots)
    for slot in offer.slots:
        assert slot.start.astimezone(ZoneInfo(TOKYO)).time() < time(10, 0)


def test_after_los_angeles_springs_forward_no_time_fits_both_and_the_nearest_are_marked():
    # Los Angeles moves to UTC-7 on Sunday 2027-03-14: Tokyo 09:00 becomes 17:00 there, past its day.
    now = datetime(2027, 3, 15, tzinfo=UTC)
    offer = shared_offer(mentor_slots(TOKYO, now), DEFAULT_WINDOWS, LOS_ANGELES, limit=3)
    assert not offer.in_both_days
    assert [s.words for s in offer.slots] == ["17:00 for you, afternoon"] * 3
    assert [s.minutes_outside for s in offer.slots] == [15, 15, 15]
    assert [s.start for s in offer.slots] == sorted(s.start for s in offer.slots)


def test_the_week_of_the_change_offers_before_it_and_not_after():
    # Wednesday 00:00 UTC is Tuesday 16:00 in Los Angeles (PST): Tokyo's Wed-Fri mornings fit Tue-Thu
    # afternoons there; after Sunday's change the same Tokyo mornings are 17:00 PDT, past the day's end.
    now = datetime(2027, 3, 10, tzinfo=UTC)
    seen = for_asker(mentor_slots(TOKYO, now, days=8), DEFAULT_WINDOWS, LOS_ANGELES)
    inside = {s.local_start.date().isoformat() for s in seen if s.inside_hours}
    assert inside == {"2027-03-09", "2027-03-10", "2027-03-11"}
    assert all(s.local_start.utcoffset() == timedelta(hours=-8) for s in seen if s.inside_hours)
    after_change = [s for s in seen if s.local_start.utcoffset() == timedelta(hours=-7)]
    assert after_change and not any(s.inside_hours for s in after_change)


def test_sydney_and_london_in_december_have_no_shared_hours_and_the_nearest_is_early_morning():
    now = datetime(2027, 12, 6, tzinfo=UTC)  # Sydney is UTC+11 (summer), London UTC+0
    offer = shared_offer(mentor_slots(SYDNEY, now), DEFAULT_WINDOWS, LONDON, limit=2)
    assert not offer.in_both_days
    first = offer.slots[0]
    assert first.words == "05:45 for you, early morning"
    assert first.start.astimezone(ZoneInfo(SYDNEY)).strftime("%H:%M") == "16:45"
    assert first.minutes_outside == 3 * 60 + 15


def test_slots_already_inside_come_first_and_the_limit_holds():
    now = datetime(2027, 1, 4, tzinfo=UTC)
    offer = shared_offer(mentor_slots(LONDON, now), DEFAULT_WINDOWS, LONDON, limit=5)
    assert offer.in_both_days and len(offer.slots) == 5
    assert offer.slots[0].words == "09:00 for you, morning"


def test_no_slots_no_offer_and_a_negative_limit_is_a_mistake():
    assert shared_offer([], DEFAULT_WINDOWS, LONDON, limit=3).slots == ()
    with pytest.raises(ValueError):
        shared_offer([], DEFAULT_WINDOWS, LONDON, limit=-1)


def test_an_asker_with_no_windows_is_outside_everywhere():
    now = datetime(2027, 1, 4, tzinfo=UTC)
    offer = shared_offer(mentor_slots(LONDON, now), (), LONDON, limit=2)
    assert not offer.in_both_days and len(offer.slots) == 2


def test_a_window_running_to_midnight_and_the_week_wrapping_sunday_to_monday():
    late = (WeeklyWindow(6, time(22, 0), time.max),)  # Sunday 22:00-24:00
    monday_early = datetime(2027, 1, 4, 0, 0, tzinfo=UTC)  # Monday 00:00 London: 0 min past Sunday's end
    sunday_late = datetime(2027, 1, 3, 23, 45, tzinfo=UTC)
    seen = for_asker([monday_early, sunday_late], late, LONDON)
    assert [s.inside_hours for s in seen] == [False, True]
    assert seen[0].minutes_outside == 15


@pytest.mark.parametrize(
    ("wall", "words"),
    [
        (time(0, 30), "middle of the night"),
        (time(7, 15), "early morning"),
        (time(9), "morning"),
        (time(12, 30), "midday"),
        (time(15), "afternoon"),
        (time(19), "evening"),
        (time(23), "late evening"),
    ],
)
def test_time_of_day_words(wall, words):
    assert time_of_day(wall) == words


ZONES = st.sampled_from([TOKYO, LOS_ANGELES, SYDNEY, LONDON, "Asia/Kolkata", "America/St_Johns", "UTC"])


@settings(max_examples=60, deadline=None)
@given(
    mentor_tz=ZONES,
    asker_tz=ZONES,
    day=st.integers(min_value=0, max_value=400),
    start_hour=st.integers(min_value=0, max_value=20),
    hours=st.integers(min_value=1, max_value=8),
)
def test_inside_means_the_whole_slot_is_in_one_of_the_asker_s_windows(
    mentor_tz, asker_tz, day, start_hour, hours
):
    now = datetime(2027, 1, 1, tzinfo=UTC) + timedelta(days=day)
    end_hour = min(start_hour + hours, 23)
    asker = tuple(WeeklyWindow(d, time(start_hour), time(end_hour)) for d in range(5))
    slots = mentor_slots(mentor_tz, now, days=3)
    day = AskerDay(WorkingHours(asker, asker_tz))
    for seen in for_asker(slots, asker, asker_tz):
        local = seen.start.astimezone(ZoneInfo(asker_tz))
        # Brute force, by the asker's wall clock: one window holds the whole slot.
        naive_start = local.replace(tzinfo=None)
        wall_end = naive_start + SLOT_LENGTH  # wall-clock 15 minutes (what the asker reads)
        brute = (
            local.weekday() < 5
            and time(start_hour) <= naive_start.time()
            and (wall_end.date() == naive_start.date() and wall_end.time() <= time(end_hour))
        )
        assert seen.inside_hours == brute, seen
        assert day.contains(seen.start) is brute  # the fast check ranking uses, asked twice (kept answer)
        assert day.contains(seen.start) is brute
        assert (seen.minutes_outside == 0) == seen.inside_hours
    offer = shared_offer(slots, asker, asker_tz, limit=4)
    inside = [s for s in for_asker(slots, asker, asker_tz) if s.inside_hours]
    if inside:
        assert offer.in_both_days and [s.start for s in offer.slots] == [s.start for s in inside[:4]]
    else:
        assert not offer.in_both_days and len(offer.slots) == min(4, len(slots))
