"""Weekly windows -> free 15-minute slots, across time zones and daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.errors import InvalidInput
from app.domain.model import DEFAULT_WINDOWS, SLOT_LENGTH, WeeklyWindow
from app.domain.slots import free_slots, week_start
from app.domain.windows import END_OF_DAY, format_windows, parse_windows, validate_windows

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def win(day: int, start: str, end: str) -> WeeklyWindow:
    def clock(text: str) -> time:
        return END_OF_DAY if text == "24:00" else time.fromisoformat(text)

    return WeeklyWindow(day, clock(start), clock(end))


def local(instants: list[datetime], tz: str) -> list[str]:
    return [i.astimezone(ZoneInfo(tz)).strftime("%a %m-%d %H:%M%z") for i in instants]


# --------------------------------------------------------------------------------------------------
# Basic shape


def test_slots_step_15_minutes_from_window_start_and_end_by_window_end():
    slots = free_slots(
        [win(MON, "09:00", "10:00")],
        "Europe/Berlin",
        [],
        2,
        now=utc(2026, 1, 5, 7, 0),
        lead=timedelta(0),
        horizon=timedelta(days=1),
    )
    # Berlin is UTC+1 in winter: 09:00 local is 08:00 UTC.
    assert slots == [
        utc(2026, 1, 5, 8, 0),
        utc(2026, 1, 5, 8, 15),
        utc(2026, 1, 5, 8, 30),
        utc(2026, 1, 5, 8, 45),
    ]
    assert all(s.tzinfo is UTC for s in slots)


def test_window_not_a_multiple_of_15_minutes_drops_the_partial_slot():
    slots = free_slots(
        [win(MON, "09:10", "09:50")], "UTC", [], 2, now=utc(2026, 1, 5, 0, 0), horizon=timedelta(days=1)
    )
    assert slots == [utc(2026, 1, 5, 9, 10), utc(2026, 1, 5, 9, 25)]


def test_window_to_midnight_offers_the_last_quarter_hour():
    slots = free_slots(
        [win(MON, "23:00", "24:00")], "UTC", [], 2, now=utc(2026, 1, 5, 0, 0), horizon=timedelta(days=1)
    )
    assert slots == [
        utc(2026, 1, 5, 23, 0),
        utc(2026, 1, 5, 23, 15),
        utc(2026, 1, 5, 23, 30),
        utc(2026, 1, 5, 23, 45),
    ]


def test_default_windows_over_two_weeks():
    slots = free_slots(DEFAULT_WINDOWS, "UTC", [], 10, now=utc(2026, 1, 5, 0, 0))
    assert len(slots) == 10 * 32  # ten weekdays, 09:00-17:00
    assert slots[0] == utc(2026, 1, 5, 9, 0)
    assert slots[-1] == utc(2026, 1, 16, 16, 45)
    assert slots == sorted(set(slots))


# --------------------------------------------------------------------------------------------------
# Time zones


def test_new_york_window_in_utc():
    slots = free_slots(
        [win(TUE, "09:00", "09:30")],
        "America/New_York",
        [],
        2,
        now=utc(2026, 1, 5, 0, 0),
        horizon=timedelta(days=7),
    )
    assert slots == [utc(2026, 1, 6, 14, 0), utc(2026, 1, 6, 14, 15)]


def test_kolkata_half_hour_offset():
    slots = free_slots(
        [win(TUE, "10:00", "10:45")],
        "Asia/Kolkata",
        [],
        2,
        now=utc(2026, 1, 5, 0, 0),
        horizon=timedelta(days=7),
    )
    assert slots == [utc(2026, 1, 6, 4, 30), utc(2026, 1, 6, 4, 45), utc(2026, 1, 6, 5, 0)]


def test_auckland_monday_morning_is_sunday_in_utc():
    slots = free_slots(
        [win(MON, "08:00", "08:30")],
        "Pacific/Auckland",
        [],
        2,
        now=utc(2026, 1, 1, 0, 0),
        horizon=timedelta(days=7),
    )
    # NZDT is UTC+13: Monday 5 January 08:00 local is Sunday 4 January 19:00 UTC.
    assert slots == [utc(2026, 1, 4, 19, 0), utc(2026, 1, 4, 19, 15)]


def test_auckland_window_keeps_local_time_when_daylight_saving_ends():
    slots = free_slots(
        [win(SAT, "09:00", "09:15"), win(SUN, "09:00", "09:15")],
        "Pacific/Auckland",
        [],
        5,
        now=utc(2026, 4, 2, 0, 0),
        horizon=timedelta(days=4),
    )
    # Saturday 4 April is still NZDT (+13); Sunday 5 April, after 03:00, is NZST (+12).
    assert slots == [utc(2026, 4, 3, 20, 0), utc(2026, 4, 4, 21, 0)]
    assert local(slots, "Pacific/Auckland") == ["Sat 04-04 09:00+1300", "Sun 04-05 09:00+1200"]


def test_unknown_time_zone_is_invalid_input_naming_it():
    with pytest.raises(InvalidInput, match=r'"Mars/Olympus" is not a time zone.*Europe/Berlin'):
        free_slots(DEFAULT_WINDOWS, "Mars/Olympus", [], 2, now=utc(2026, 1, 5))
    with pytest.raises(InvalidInput, match="time zone"):
        free_slots(DEFAULT_WINDOWS, "../../etc/passwd", [], 2, now=utc(2026, 1, 5))
    with pytest.raises(InvalidInput, match="time zone"):
        free_slots(DEFAULT_WINDOWS, "", [], 2, now=utc(2026, 1, 5))


# --------------------------------------------------------------------------------------------------
# Daylight saving


def test_berlin_nine_oclock_stays_nine_oclock_across_spring_forward():
    slots = free_slots(
        [win(FRI, "09:00", "09:15")],
        "Europe/Berlin",
        [],
        5,
        now=utc(2026, 3, 23, 0, 0),
        horizon=timedelta(days=14),
    )
    assert slots == [utc(2026, 3, 27, 8, 0), utc(2026, 4, 3, 7, 0)]


def test_berlin_spring_forward_gap_is_skipped():
    # 2026-03-29: clocks jump from 02:00 to 03:00 local.
    slots = free_slots(
        [win(SUN, "01:00", "04:00")],
        "Europe/Berlin",
        [],
        5,
        now=utc(2026, 3, 28, 0, 0),
        horizon=timedelta(days=2),
    )
    assert local(slots, "Europe/Berlin") == [
        "Sun 03-29 01:00+0100",
        "Sun 03-29 01:15+0100",
        "Sun 03-29 01:30+0100",
        "Sun 03-29 01:45+0100",
        "Sun 03-29 03:00+0200",
        "Sun 03-29 03:15+0200",
        "Sun 03-29 03:30+0200",
        "Sun 03-29 03:45+0200",
    ]
    assert slots[3:5] == [utc(2026, 3, 29, 0, 45), utc(2026, 3, 29, 1, 0)]


def test_window_entirely_inside_the_gap_gives_nothing_that_day():
    slots = free_slots(
        [win(SUN, "02:00", "03:00")],
        "Europe/Berlin",
        [],
        5,
        now=utc(2026, 3, 28, 0, 0),
        horizon=timedelta(days=9),
    )
    assert slots[0] == utc(2026, 4, 5, 0, 0)  # the next Sunday, 02:00 CEST
    assert len(slots) == 4


def test_berlin_fall_back_uses_the_first_occurrence_without_duplicates():
    # 2026-10-25: clocks go back from 03:00 to 02:00 local; 02:00-02:59 happens twice.
    slots = free_slots(
        [win(SUN, "01:30", "03:30")],
        "Europe/Berlin",
        [],
        5,
        now=utc(2026, 10, 24, 0, 0),
        horizon=timedelta(days=2),
    )
    assert slots == [
        utc(2026, 10, 24, 23, 30),
        utc(2026, 10, 24, 23, 45),
        utc(2026, 10, 25, 0, 0),
        utc(2026, 10, 25, 0, 15),
        utc(2026, 10, 25, 0, 30),
        utc(2026, 10, 25, 0, 45),
        utc(2026, 10, 25, 2, 0),
        utc(2026, 10, 25, 2, 15),
    ]
    assert len(set(slots)) == len(slots)


def test_new_york_spring_forward_gap():
    # 2026-03-08: 02:00 EST jumps to 03:00 EDT.
    slots = free_slots(
        [win(SUN, "01:30", "03:30")],
        "America/New_York",
        [],
        5,
        now=utc(2026, 3, 7, 0, 0),
        horizon=timedelta(days=2),
    )
    assert slots == [
        utc(2026, 3, 8, 6, 30),
        utc(2026, 3, 8, 6, 45),
        utc(2026, 3, 8, 7, 0),
        utc(2026, 3, 8, 7, 15),
    ]


def test_new_york_fall_back():
    # 2026-11-01: 02:00 EDT goes back to 01:00 EST.
    slots = free_slots(
        [win(SUN, "00:30", "02:30")],
        "America/New_York",
        [],
        5,
        now=utc(2026, 10, 31, 0, 0),
        horizon=timedelta(days=2),
    )
    assert slots == [
        utc(2026, 11, 1, 4, 30),
        utc(2026, 11, 1, 4, 45),
        utc(2026, 11, 1, 5, 0),
        utc(2026, 11, 1, 5, 15),
        utc(2026, 11, 1, 5, 30),
        utc(2026, 11, 1, 5, 45),
        utc(2026, 11, 1, 7, 0),
        utc(2026, 11, 1, 7, 15),
    ]


def test_new_york_weekday_window_shifts_in_utc_across_dst():
    slots = free_slots(
        [win(day, "09:00", "09:15") for day in range(5)],
        "America/New_York",
        [],
        10,
        now=utc(2026, 3, 2, 0, 0),
        horizon=timedelta(days=14),
    )
    assert [s.hour for s in slots] == [14] * 5 + [13] * 5
    assert slots[4] == utc(2026, 3, 6, 14, 0) and slots[5] == utc(2026, 3, 9, 13, 0)


def test_now_inside_the_repeated_hour_offers_nothing_in_the_past():
    # 01:10 UTC is 02:10 CET, the second pass through 02:00-03:00 on 2026-10-25.
    slots = free_slots(
        [win(SUN, "01:00", "04:00")],
        "Europe/Berlin",
        [],
        5,
        now=utc(2026, 10, 25, 1, 10),
        lead=timedelta(0),
        horizon=timedelta(hours=3),
    )
    assert slots == [
        utc(2026, 10, 25, 2, 0),
        utc(2026, 10, 25, 2, 15),
        utc(2026, 10, 25, 2, 30),
        utc(2026, 10, 25, 2, 45),
    ]


# --------------------------------------------------------------------------------------------------
# Held slots, capacity, lead, horizon, limit


def test_held_slot_is_not_free():
    now = utc(2026, 1, 5, 0, 0)
    slots = free_slots(
        [win(MON, "09:00", "10:00")], "UTC", [utc(2026, 1, 5, 9, 15)], 5, now=now, horizon=timedelta(days=1)
    )
    assert slots == [utc(2026, 1, 5, 9, 0), utc(2026, 1, 5, 9, 30), utc(2026, 1, 5, 9, 45)]


def test_held_start_off_the_grid_blocks_both_overlapping_slots():
    now = utc(2026, 1, 5, 0, 0)
    slots = free_slots(
        [win(MON, "09:00", "10:00")], "UTC", [utc(2026, 1, 5, 9, 10)], 5, now=now, horizon=timedelta(days=1)
    )
    assert slots == [utc(2026, 1, 5, 9, 30), utc(2026, 1, 5, 9, 45)]


def test_capacity_counts_held_starts_per_local_iso_week():
    # Auckland (NZST, +12 in June). Held: Monday 8 June 10:00 local = Sunday 7 June 22:00 UTC.
    # In local weeks that is the week of 8 June, even though it is still the week of 1 June in UTC.
    windows = [win(SUN, "18:00", "18:15"), win(MON, "09:00", "09:15")]
    held = [utc(2026, 6, 7, 22, 0)]
    slots = free_slots(
        windows, "Pacific/Auckland", held, 1, now=utc(2026, 5, 31, 0, 0), horizon=timedelta(days=16)
    )
    assert local(slots, "Pacific/Auckland") == [
        "Sun 05-31 18:00+1200",
        "Mon 06-01 09:00+1200",
        "Sun 06-07 18:00+1200",
        "Mon 06-15 09:00+1200",
    ]


def test_capacity_two_allows_slots_in_a_week_with_one_held():
    held = [utc(2026, 1, 6, 9, 0)]
    slots = free_slots(
        [win(WED, "09:00", "09:15")], "UTC", held, 2, now=utc(2026, 1, 5), horizon=timedelta(days=14)
    )
    assert slots == [utc(2026, 1, 7, 9, 0), utc(2026, 1, 14, 9, 0)]
    full = free_slots(
        [win(WED, "09:00", "09:15")], "UTC", held, 1, now=utc(2026, 1, 5), horizon=timedelta(days=14)
    )
    assert full == [utc(2026, 1, 14, 9, 0)]


def test_held_starts_earlier_in_the_week_still_count():
    # A conversation held on Monday (already past) fills a capacity of 1 for the rest of that week.
    now = utc(2026, 1, 7, 12, 0)
    held = [utc(2026, 1, 5, 9, 0)]
    slots = free_slots(DEFAULT_WINDOWS, "UTC", held, 1, now=now, horizon=timedelta(days=7))
    assert slots[0] == utc(2026, 1, 12, 9, 0)


def test_capacity_zero_gives_nothing():
    assert free_slots(DEFAULT_WINDOWS, "UTC", [], 0, now=utc(2026, 1, 5)) == []


def test_lead_time_is_inclusive_and_defaults_to_30_minutes():
    windows = [win(MON, "09:00", "10:00")]
    assert free_slots(windows, "UTC", [], 2, now=utc(2026, 1, 5, 9, 0), limit=1) == [utc(2026, 1, 5, 9, 30)]
    assert free_slots(windows, "UTC", [], 2, now=utc(2026, 1, 5, 9, 1), limit=1) == [utc(2026, 1, 5, 9, 45)]
    assert free_slots(windows, "UTC", [], 2, now=utc(2026, 1, 5, 9, 0), lead=timedelta(0), limit=1) == [
        utc(2026, 1, 5, 9, 0)
    ]


def test_horizon_is_exclusive():
    windows = [win(MON, "09:00", "10:00")]
    slots = free_slots(
        windows,
        "UTC",
        [],
        2,
        now=utc(2026, 1, 5, 8, 0),
        lead=timedelta(0),
        horizon=timedelta(hours=1, minutes=30),
    )
    assert slots == [utc(2026, 1, 5, 9, 0), utc(2026, 1, 5, 9, 15)]


def test_default_horizon_is_14_days():
    slots = free_slots([win(MON, "09:00", "09:15")], "UTC", [], 5, now=utc(2026, 1, 5, 8, 0))
    assert slots == [utc(2026, 1, 5, 9, 0), utc(2026, 1, 12, 9, 0)]  # not 19 January (14 days + 1h later)


def test_limit_caps_the_result():
    slots = free_slots(DEFAULT_WINDOWS, "UTC", [], 5, now=utc(2026, 1, 5), limit=3)
    assert slots == [utc(2026, 1, 5, 9, 0), utc(2026, 1, 5, 9, 15), utc(2026, 1, 5, 9, 30)]
    assert free_slots(DEFAULT_WINDOWS, "UTC", [], 5, now=utc(2026, 1, 5), limit=0) == []
    with pytest.raises(ValueError):
        free_slots(DEFAULT_WINDOWS, "UTC", [], 5, now=utc(2026, 1, 5), limit=-1)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="now must be a timezone-aware"):
        free_slots(DEFAULT_WINDOWS, "UTC", [], 2, now=datetime(2026, 1, 5))
    with pytest.raises(ValueError, match="held start"):
        free_slots(DEFAULT_WINDOWS, "UTC", [datetime(2026, 1, 5, 9)], 2, now=utc(2026, 1, 5))


def test_now_in_another_zone_means_the_same_instant():
    berlin_now = datetime(2026, 1, 5, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))  # 09:00 UTC
    assert free_slots(DEFAULT_WINDOWS, "UTC", [], 2, now=berlin_now, limit=1) == [utc(2026, 1, 5, 9, 30)]


def test_week_start():
    # Sunday 29 March 2026 12:00 UTC is in the Berlin week starting Monday 23 March 00:00 CET.
    assert week_start(utc(2026, 3, 29, 12, 0), "Europe/Berlin") == utc(2026, 3, 22, 23, 0)
    # Sunday 22:00 UTC is already Monday morning in Auckland.
    assert week_start(utc(2026, 6, 7, 22, 0), "Pacific/Auckland") == utc(2026, 6, 7, 12, 0)
    assert week_start(utc(2026, 1, 5, 0, 0), "UTC") == utc(2026, 1, 5, 0, 0)
    with pytest.raises(ValueError):
        week_start(datetime(2026, 1, 5), "UTC")


# --------------------------------------------------------------------------------------------------
# Property: free_slots agrees with a brute-force oracle walking every UTC quarter-hour

ZONES = [
    "UTC",
    "Europe/Berlin",
    "America/New_York",
    "Asia/Kolkata",
    "Pacific/Auckland",
    "Australia/Lord_Howe",
]
# Instants near daylight-saving changes of the zones above, so examples often cross one.
NOWS = [
    utc(2026, 3, 25, 13, 7),
    utc(2026, 10, 22, 23, 59),
    utc(2026, 3, 3, 4, 0),
    utc(2026, 10, 29, 12, 0),
    utc(2026, 4, 1, 0, 0),
    utc(2026, 9, 22, 6, 30),
    utc(2026, 1, 5, 0, 0),
]

quarter_times = st.integers(min_value=0, max_value=95).map(lambda q: time(q // 4, q % 4 * 15))


@st.composite
def quarter_windows(draw: st.DrawFn) -> list[WeeklyWindow]:
    windows = []
    for _ in range(draw(st.integers(min_value=0, max_value=5))):
        day = draw(st.integers(min_value=0, max_value=6))
        start_q = draw(st.integers(min_value=0, max_value=95))
        end_q = draw(st.integers(min_value=start_q + 1, max_value=96))
        end = END_OF_DAY if end_q == 96 else time(end_q // 4, end_q % 4 * 15)
        windows.append(WeeklyWindow(day, time(start_q // 4, start_q % 4 * 15), end))
    return windows


def oracle(windows, tz, held, capacity, now, horizon, lead):
    """Walk every UTC quarter-hour; keep those whose local wall time (first occurrence) starts a slot."""
    zone = ZoneInfo(tz)
    valid = validate_windows(windows)
    first = now + lead
    t = datetime(first.year, first.month, first.day, tzinfo=UTC)
    per_week: dict[date, int] = {}
    for h in held:
        d = h.astimezone(zone).date()
        monday = d - timedelta(days=d.weekday())
        per_week[monday] = per_week.get(monday, 0) + 1
    found = []
    while t < now + horizon:
        wall = t.astimezone(zone)
        start_of_day = datetime.combine(wall.date(), time())
        in_window = any(
            w.weekday == wall.weekday()
            and datetime.combine(wall.date(), w.start) <= wall.replace(tzinfo=None)
            and wall.replace(tzinfo=None) + SLOT_LENGTH
            <= (
                start_of_day + timedelta(days=1)
                if w.end == END_OF_DAY
                else datetime.combine(wall.date(), w.end)
            )
            for w in valid
        )
        monday = wall.date() - timedelta(days=wall.weekday())
        overlaps = any(abs(t - h) < SLOT_LENGTH for h in held)
        if (
            t >= first
            and in_window
            and wall.fold == 0
            and per_week.get(monday, 0) < capacity
            and not overlaps
        ):
            found.append(t)
        t += SLOT_LENGTH
    return found


@settings(max_examples=60, deadline=None)
@given(
    windows=quarter_windows(),
    tz=st.sampled_from(ZONES),
    now=st.sampled_from(NOWS),
    held_offsets=st.lists(st.integers(min_value=-200, max_value=1400), max_size=6),
    capacity=st.integers(min_value=0, max_value=3),
    lead_minutes=st.sampled_from([0, 30, 45]),
    horizon_days=st.integers(min_value=1, max_value=14),
)
def test_free_slots_match_brute_force(windows, tz, now, held_offsets, capacity, lead_minutes, horizon_days):
    base = now.replace(minute=0, second=0)
    held = [base + SLOT_LENGTH * offset for offset in held_offsets]
    lead, horizon = timedelta(minutes=lead_minutes), timedelta(days=horizon_days)
    got = free_slots(windows, tz, held, capacity, now=now, horizon=horizon, lead=lead)
    assert got == oracle(windows, tz, held, capacity, now, horizon, lead)
    assert len(set(got)) == len(got)
    assert all(s.tzinfo is UTC for s in got)
    limited = free_slots(windows, tz, held, capacity, now=now, horizon=horizon, lead=lead, limit=2)
    assert limited == got[:2]


# --------------------------------------------------------------------------------------------------
# validate_windows


def test_validate_sorts_and_merges_overlapping_and_touching_windows():
    windows = [
        win(TUE, "14:00", "15:00"),
        win(MON, "11:00", "12:00"),
        win(MON, "09:00", "10:00"),
        win(MON, "09:30", "11:00"),
        win(TUE, "09:00", "10:00"),
        win(TUE, "09:15", "09:45"),
    ]
    assert validate_windows(windows) == (
        win(MON, "09:00", "12:00"),
        win(TUE, "09:00", "10:00"),
        win(TUE, "14:00", "15:00"),
    )


@pytest.mark.parametrize(
    ("window", "message"),
    [
        (WeeklyWindow(7, time(9), time(10)), "not a weekday"),
        (WeeklyWindow(-1, time(9), time(10)), "not a weekday"),
        (WeeklyWindow(MON, time(10), time(9)), "ends before it starts"),
        (WeeklyWindow(MON, time(10), time(10)), "ends before it starts"),
        (WeeklyWindow(MON, time(10), time(10, 10)), "shorter than a 15-minute"),
    ],
)
def test_validate_rejects(window, message):
    with pytest.raises(InvalidInput, match=message):
        validate_windows([window])


# --------------------------------------------------------------------------------------------------
# parse_windows / format_windows


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Mon-Fri 09:00-12:00, Tue 14:00-17:30, sat 10-12",
            "Mon-Fri 09:00-12:00, Tue 14:00-17:30, Sat 10:00-12:00",
        ),
        ("mon 9-17", "Mon 09:00-17:00"),
        ("MONDAY 9:30-10:15\nwednesday 14-15", "Mon 09:30-10:15, Wed 14:00-15:00"),
        ("Tues 9-10; thurs 9-10", "Tue 09:00-10:00, Thu 09:00-10:00"),
        ("Mon, Wed 9-12", "Mon 09:00-12:00, Wed 09:00-12:00"),
        ("Mon/Wed/Fri 9-10", "Mon 09:00-10:00, Wed 09:00-10:00, Fri 09:00-10:00"),
        ("Mon 9-12, 14-17", "Mon 09:00-12:00, Mon 14:00-17:00"),
        ("Fri-Mon 20:00-24:00", "Mon 20:00-24:00, Fri-Sun 20:00-24:00"),
        ("mon to wed 8-9", "Mon-Wed 08:00-09:00"),
        ("weekdays 9am-5pm", "Mon-Fri 09:00-17:00"),
        ("weekends 10-12", "Sat-Sun 10:00-12:00"),
        ("sun 1-3pm", "Sun 13:00-15:00"),
        ("Thu 22:00 - 00:00", "Thu 22:00-24:00"),
        ("Tue: 9h30–10", "Tue 09:30-10:00"),
        ("Mon 9-11, Mon 10-12", "Mon 09:00-12:00"),
    ],
)
def test_parse_windows_examples(text, expected):
    assert format_windows(parse_windows(text)) == expected


def test_parse_windows_values():
    assert parse_windows("Mon-Fri 09:00-12:00, Tue 14:00-17:30, sat 10-12") == (
        win(MON, "09:00", "12:00"),
        win(TUE, "09:00", "12:00"),
        win(TUE, "14:00", "17:30"),
        win(WED, "09:00", "12:00"),
        win(THU, "09:00", "12:00"),
        win(FRI, "09:00", "12:00"),
        win(SAT, "10:00", "12:00"),
    )


def test_format_compresses_consecutive_days_and_keeps_gaps():
    windows = [win(d, "09:00", "17:00") for d in (MON, TUE, WED, FRI)] + [win(SAT, "10:00", "11:00")]
    assert format_windows(windows) == "Mon-Wed 09:00-17:00, Fri 09:00-17:00, Sat 10:00-11:00"
    assert format_windows(DEFAULT_WINDOWS) == "Mon-Fri 09:00-17:00"
    assert format_windows([]) == ""


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "at least one window"),
        ("   \n ", "at least one window"),
        ("Fry 9-12", '"fry" is not a day'),
        ("Mon 12-9", "ends before it starts"),
        ("Fri 22:00-02:00", "split one that runs past midnight"),
        ("9-12", "which day"),
        ("Mon 25-26", "not a time of day"),
        ("Mon 9:75-10", "not a time of day"),
        ("Mon 13pm-14pm", "not a time of day"),
        ("Mon", "Mon has no times"),
        ("Mon-", "missing its last day"),
        ("Mon 9-9:10", "shorter than a 15-minute"),
        ("Mon 9 to", "like 09:00-12:00"),
        ("Mon # 9-10", "not part of a day name"),
        ("s 9-10", '"s" is not a day'),
    ],
)
def test_parse_windows_errors_are_readable_and_show_an_example(text, fragment):
    with pytest.raises(InvalidInput) as caught:
        parse_windows(text)
    message = str(caught.value)
    assert fragment in message
    assert "Mon-Fri 09:00-12:00" in message


minute_times = st.integers(min_value=0, max_value=24 * 60 - 15)


@st.composite
def minute_windows(draw: st.DrawFn) -> list[WeeklyWindow]:
    windows = []
    for _ in range(draw(st.integers(min_value=1, max_value=8))):
        day = draw(st.integers(min_value=0, max_value=6))
        start = draw(minute_times)
        end = draw(st.integers(min_value=start + 15, max_value=24 * 60))
        windows.append(
            WeeklyWindow(
                day,
                time(start // 60, start % 60),
                END_OF_DAY if end == 24 * 60 else time(end // 60, end % 60),
            )
        )
    return windows


@settings(max_examples=200, deadline=None)
@given(minute_windows())
def test_format_then_parse_round_trips(windows):
    text = format_windows(windows)
    assert parse_windows(text) == validate_windows(windows)
    assert format_windows(parse_windows(text)) == text
