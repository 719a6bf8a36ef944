"""Weekly windows + held conversations + a time zone -> free 15-minute slots.

A mentor describes when they can talk as weekly windows in their own wall-clock time ("Mon-Fri
09:00-12:00"). This module turns those windows into concrete UTC instants, minus the slots they already
hold and minus the weeks they are already full (the windows' text is app.domain.windows).

Pure: standard library only, no clock (``now`` is always passed in), no I/O beyond the standard
library's time-zone database.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.domain.errors import InvalidInput
from app.domain.model import SLOT_LENGTH, WeeklyWindow
from app.domain.windows import END_OF_DAY, validate_windows

DEFAULT_HORIZON = timedelta(days=14)
DEFAULT_LEAD = timedelta(minutes=30)
_ONE_DAY = timedelta(days=1)


# --------------------------------------------------------------------------------------------------
# Time zones and weeks


def load_zone(tz: str) -> ZoneInfo:
    """The IANA zone named ``tz`` ("Europe/Berlin"), or InvalidInput with a readable message."""
    if not isinstance(tz, str) or not tz.strip():
        raise InvalidInput('A time zone is needed, an IANA name such as "Europe/Berlin".')
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise InvalidInput(
            f'"{tz}" is not a time zone I know. Use an IANA name such as "Europe/Berlin" or '
            '"America/New_York".'
        ) from None


def require_aware(value: datetime, name: str) -> None:
    """Raise ValueError unless ``value`` is timezone-aware (a naive datetime has no instant)."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got naive {value!r}")


def _week_key(instant: datetime, zone: ZoneInfo) -> date:
    """The local Monday (a date) of the ISO week ``instant`` falls in, in ``zone``."""
    local = instant.astimezone(zone).date()
    return local - timedelta(days=local.weekday())


def week_start(instant_utc: datetime, tz: str) -> datetime:
    """Monday 00:00 local (in ``tz``) of the ISO week holding ``instant_utc``, as an aware UTC datetime.

    If Monday 00:00 does not exist locally (a zone that springs forward at midnight), the week starts at
    the instant of the change.
    """
    require_aware(instant_utc, "instant_utc")
    zone = load_zone(tz)
    monday = _week_key(instant_utc, zone)
    return datetime.combine(monday, time(), tzinfo=zone).astimezone(UTC)


# --------------------------------------------------------------------------------------------------
# Slots


WeekLayout = tuple[tuple[WeeklyWindow, ...], ...]


def week_layout(windows: Iterable[WeeklyWindow]) -> WeekLayout:
    """Validated windows grouped by weekday: seven tuples, Monday first, each sorted by start."""
    days: list[list[WeeklyWindow]] = [[] for _ in range(7)]
    for window in validate_windows(windows):
        days[window.weekday].append(window)
    return tuple(tuple(day) for day in days)


def _iter_window_slots(
    zone: ZoneInfo,
    by_weekday: Sequence[Sequence[WeeklyWindow]],
    start: datetime,
    end: datetime,
) -> Iterator[tuple[datetime, date]]:
    """Every slot start the windows allow in [start, end), ascending, as (UTC instant, local Monday).

    Windows are stepped in local wall-clock time; each wall time is mapped with fold=0 (the first of two
    ambiguous instants), and wall times that do not exist (a spring-forward gap) are skipped. With fold=0
    the mapping is increasing over the wall times that exist, which is why walls before ``start``'s own
    wall time can be skipped without converting them, and why the first instant at or past ``end`` ends
    the walk. Cost: two zone conversions per slot between ``start`` and the last slot returned.
    """
    start_wall = start.astimezone(zone).replace(tzinfo=None, fold=0)
    last_day = end.astimezone(zone).date() + _ONE_DAY
    day = start_wall.date()
    previous: datetime | None = None
    while day <= last_day:
        monday = day - timedelta(days=day.weekday())
        for window in by_weekday[day.weekday()]:
            wall = datetime.combine(day, window.start)
            wall_end = (
                datetime.combine(day + _ONE_DAY, time())
                if window.end == END_OF_DAY
                else datetime.combine(day, window.end)
            )
            if wall_end <= start_wall:
                continue
            if wall < start_wall:
                # Jump to the first step of this window at or after start's wall time.
                wall += SLOT_LENGTH * -((wall - start_wall) // SLOT_LENGTH)
            while wall + SLOT_LENGTH <= wall_end:
                this_wall, wall = wall, wall + SLOT_LENGTH
                instant = this_wall.replace(tzinfo=zone).astimezone(UTC)
                if instant >= end:
                    return
                if instant < start or (previous is not None and instant <= previous):
                    continue
                if instant.astimezone(zone).replace(tzinfo=None) != this_wall:
                    continue  # nonexistent local time (spring-forward gap)
                previous = instant
                yield instant, monday
        day += _ONE_DAY


class SlotGrid:
    """The slots a week layout allows in one zone over [start, end), generated lazily and kept.

    Built once per distinct (zone, windows) and shared by every mentor that has them, so ranking many
    mentors converts each local wall time at most once. ``get(i)`` is the i-th slot (UTC instant,
    local Monday) or None past the end.
    """

    __slots__ = ("_source", "instants", "mondays", "zone")

    def __init__(self, zone: ZoneInfo, layout: WeekLayout, start: datetime, end: datetime):
        self.zone = zone
        self.instants: list[datetime] = []
        self.mondays: list[date] = []
        self._source: Iterator[tuple[datetime, date]] | None = _iter_window_slots(zone, layout, start, end)

    def only(self, keep: Callable[[datetime], bool]) -> SlotGrid:
        """The slots of this grid that ``keep`` accepts, as a grid of their own (also lazy)."""
        kept = SlotGrid.__new__(SlotGrid)
        kept.zone = self.zone
        kept.instants, kept.mondays = [], []

        def source() -> Iterator[tuple[datetime, date]]:
            index = 0
            while (slot := self.get(index)) is not None:
                index += 1
                if keep(slot[0]):
                    yield slot

        kept._source = source()
        return kept

    def get(self, index: int) -> tuple[datetime, date] | None:
        while len(self.instants) <= index:
            if self._source is None:
                return None
            produced = next(self._source, None)
            if produced is None:
                self._source = None
                return None
            self.instants.append(produced[0])
            self.mondays.append(produced[1])
        return self.instants[index], self.mondays[index]

    def iter_free(
        self, held_starts: Iterable[datetime], capacity_per_week: int
    ) -> Iterator[tuple[datetime, int]]:
        """Free slots, ascending, as (UTC instant, spare capacity in that slot's local week).

        A slot is free when it overlaps no held conversation ([start, start + 15 min)) and its week holds
        fewer than ``capacity_per_week`` starts. Cost: O(h log h) for h held starts, then O(1) per slot
        walked.
        """
        if capacity_per_week <= 0:
            return
        held = list(held_starts)
        for start in held:
            require_aware(start, "held start")
        held.sort()
        per_week = Counter(_week_key(start, self.zone) for start in held)
        pointer, count = 0, len(held)
        index = 0
        while (slot := self.get(index)) is not None:
            index += 1
            instant, monday = slot
            spare = capacity_per_week - per_week.get(monday, 0)
            if spare <= 0:
                continue
            while pointer < count and held[pointer] + SLOT_LENGTH <= instant:
                pointer += 1
            if pointer < count and held[pointer] < instant + SLOT_LENGTH:
                continue
            yield instant, spare


def free_slots(
    windows: Iterable[WeeklyWindow],
    tz: str,
    held_starts: Iterable[datetime],
    capacity_per_week: int,
    *,
    now: datetime,
    horizon: timedelta = DEFAULT_HORIZON,
    lead: timedelta = DEFAULT_LEAD,
    limit: int | None = None,
) -> list[datetime]:
    """Free 15-minute slot starts, as aware UTC datetimes, ascending, in [now + lead, now + horizon).

    Guarantees:
    - every slot starts at a window's start plus a multiple of 15 minutes of local wall-clock time in
      ``tz``, and ends (in wall-clock time) by that window's end; a 09:00 window stays 09:00 local across
      daylight-saving changes;
    - local times that do not exist (spring forward) are skipped; ambiguous ones (fall back) are the
      first of the two instants (fold=0); no instant appears twice;
    - no slot overlaps a held conversation [held, held + 15 min);
    - no slot lies in an ISO week (Monday 00:00 local in ``tz``) already holding ``capacity_per_week``
      or more held starts; a capacity of 0 gives no slots;
    - at most ``limit`` slots when it is given.

    Raises ValueError for a naive ``now`` or held start or a negative limit, and InvalidInput for an
    unknown ``tz`` or invalid windows. Cost: O(h log h) for h held starts plus two zone conversions per
    window slot walked, which is O(days x slots per day), and stops as soon as ``limit`` slots are found.
    """
    require_aware(now, "now")
    if limit is not None and limit < 0:
        raise ValueError(f"limit must be >= 0, got {limit}")
    zone = load_zone(tz)
    layout = week_layout(windows)
    if capacity_per_week <= 0 or limit == 0:
        return []
    grid = SlotGrid(zone, layout, now + lead, now + horizon)
    found: list[datetime] = []
    for instant, _spare in grid.iter_free(held_starts, capacity_per_week):
        found.append(instant)
        if limit is not None and len(found) >= limit:
            break
    return found
