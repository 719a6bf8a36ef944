"""When coffee-roulette rounds fall due: every N weeks, on a weekday, at a local wall-clock time; and
when a group's intro reaches it: its members' local morning."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from app.domain.errors import InvalidInput

ALLOWED_EVERY_WEEKS = (1, 2, 4)
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True, slots=True)
class RoundSchedule:
    """Rounds on ``weekday`` at ``at`` in ``tz``, every ``every_weeks`` weeks counted from ``anchor``.

    ``anchor`` is a local date in the schedule's week rhythm; any date works for weekly rounds.
    Wall-clock time is kept across daylight-saving changes (09:00 stays 09:00 local).
    """

    every_weeks: int
    weekday: int
    at: time
    tz: str
    anchor: date

    def __post_init__(self) -> None:
        if self.every_weeks not in ALLOWED_EVERY_WEEKS:
            raise InvalidInput("Rounds can run every 1, 2 or 4 weeks.")
        if not 0 <= self.weekday <= 6:
            raise InvalidInput("Pick a weekday from Monday to Sunday.")

    def describe(self) -> str:
        every = {1: "Every week", 2: "Every 2 weeks", 4: "Every 4 weeks"}[self.every_weeks]
        return f"{every} on {DAY_NAMES[self.weekday]} at {self.at:%H:%M} ({self.tz})"


def _first_on_weekday(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _occurrence(schedule: RoundSchedule, index: int) -> datetime:
    """The index-th round (0 = the first on or after the anchor), as an aware UTC instant."""
    zone = ZoneInfo(schedule.tz)
    day = _first_on_weekday(schedule.anchor, schedule.weekday) + timedelta(weeks=index * schedule.every_weeks)
    local = datetime.combine(day, schedule.at, tzinfo=zone)
    # A time that does not exist that day (spring forward) is moved on by the gap, as clocks do.
    roundtrip = local.astimezone(UTC).astimezone(zone)
    if roundtrip.replace(tzinfo=None) != local.replace(tzinfo=None):
        local = roundtrip
    return local.astimezone(UTC)


def _index_near(schedule: RoundSchedule, instant: datetime) -> int:
    first = _first_on_weekday(schedule.anchor, schedule.weekday)
    local_day = instant.astimezone(ZoneInfo(schedule.tz)).date()
    return (local_day - first).days // (7 * schedule.every_weeks)


def latest_due(schedule: RoundSchedule, now: datetime) -> datetime | None:
    """The most recent round time at or before ``now`` (None before the first one). O(1)."""
    for index in (_index_near(schedule, now) + 1, _index_near(schedule, now), _index_near(schedule, now) - 1):
        if index >= 0 and _occurrence(schedule, index) <= now:
            return _occurrence(schedule, index)
    return None


def next_after(schedule: RoundSchedule, now: datetime) -> datetime:
    """The first round time strictly after ``now``. O(1)."""
    index = max(0, _index_near(schedule, now) - 1)
    while _occurrence(schedule, index) <= now:
        index += 1
    return _occurrence(schedule, index)


def local_morning(zones: Sequence[str], at: time, after: datetime) -> datetime:
    """When a group's intro goes out: the first ``at`` (e.g. 09:30) on or after ``after`` in the zone
    most of its members share (ties: the zone first by name; an unknown zone counts as UTC).

    Wall-clock time is kept across daylight-saving changes; a time that does not exist that day (spring
    forward) is moved on by the gap. O(len(zones)).
    """
    known = [z if _is_zone(z) else "UTC" for z in zones] or ["UTC"]
    counts = Counter(known)
    zone_name = min(counts, key=lambda z: (-counts[z], z))
    zone = ZoneInfo(zone_name)
    local = after.astimezone(zone)
    for days in range(3):
        day = local.date() + timedelta(days=days)
        candidate = datetime.combine(day, at, tzinfo=zone)
        roundtrip = candidate.astimezone(UTC).astimezone(zone)
        if roundtrip.replace(tzinfo=None) != candidate.replace(tzinfo=None):
            candidate = roundtrip
        if candidate.astimezone(UTC) >= after:
            return candidate.astimezone(UTC)
    raise AssertionError("a local time comes round within three days")  # pragma: no cover


def _is_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ValueError, KeyError, OSError):
        return False
    return True
