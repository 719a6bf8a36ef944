"""Lunch slots (``app.domain.lunch``): an hour from 11:30-13:00 in the office's zone, on the mentor's
office days (and the asker's, when named), clear of what both hold, within the mentor's weekly room."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from app.domain.lunch import LunchMentor, lunch_slots, rank_lunches

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 3, 23, 6, 0, tzinfo=UTC)  # Monday; Berlin changes to summer time on Sunday 29 March


def mentor(**changes):
    values = dict(user_id="UM", topics=frozenset({"python"}), office_days=(1, 3), capacity_per_week=2)
    return LunchMentor(**{**values, **changes})


def local(slots):
    return [s.astimezone(BERLIN) for s in slots]


def test_lunches_are_at_midday_in_the_office_s_zone_on_office_days_across_dst():
    slots = local(lunch_slots(mentor(), "Europe/Berlin", now=NOW, limit=12))
    assert {s.weekday() for s in slots} == {1, 3}
    assert {s.time() for s in slots} == {time(11, 30), time(12), time(12, 30), time(13)}
    assert {s.utcoffset() for s in slots} == {timedelta(hours=1), timedelta(hours=2)}  # both sides of DST


def test_no_office_days_no_lunches():
    assert lunch_slots(mentor(office_days=()), "Europe/Berlin", now=NOW) == []


def test_held_and_busy_time_and_the_asker_s_days_are_respected():
    tuesday_noon = datetime(2026, 3, 24, 11, 0, tzinfo=UTC)  # 12:00 in Berlin
    slots = lunch_slots(
        mentor(held_starts=(tuesday_noon,)), "Europe/Berlin", now=NOW, limit=4, asker_days=(1,)
    )
    # 11:30 and 12:00 overlap the 12:00 talk, 12:30 doesn't; only Tuesdays (the asker's day).
    assert [s.time() for s in local(slots)][:2] == [time(12, 30), time(13)]
    assert {s.weekday() for s in local(slots)} == {1}
    busy = ((datetime(2026, 3, 24, 10, 0, tzinfo=UTC), datetime(2026, 3, 24, 13, 0, tzinfo=UTC)),)
    slots = local(lunch_slots(mentor(), "Europe/Berlin", now=NOW, asker_busy=busy, limit=1))
    assert slots[0].weekday() == 3  # Tuesday's midday is taken by a session


def test_a_full_week_has_no_lunch_and_topics_rank_first():
    week = tuple(datetime(2026, 3, 23, 8, m, tzinfo=UTC) for m in (0, 15))
    slots = local(lunch_slots(mentor(held_starts=week), "Europe/Berlin", now=NOW, limit=1))
    assert slots[0] >= datetime(2026, 3, 30, tzinfo=BERLIN)
    offers, matched = rank_lunches(
        [mentor(user_id="UA", topics=frozenset()), mentor(user_id="UB")],
        frozenset({"python"}),
        "Europe/Berlin",
        now=NOW,
        asker_id="UX",
    )
    assert matched and [o.mentor_id for o in offers] == ["UB"]
