"""Slots in both people's day: a mentor's free slots seen from the asker's working hours.

A mentor's slots come from the mentor's windows alone (app.domain.slots). An asker in Los Angeles must
not be offered 00:45 their time for a Berlin mentor's 09:45, so offers are the slots that also fall
inside the asker's own hours, earliest first. Only when no slot in the horizon is inside both people's
day are others offered, the least far outside the asker's hours first, each with words for what it
means to the asker ("07:15 for you, early morning").

Pure: standard library only; instants are aware datetimes and zones are IANA names. (Issue #12: the ask
path offers through this once askers' working hours are stored; until then nothing in app/ calls it.)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from app.domain.model import SLOT_LENGTH, WeeklyWindow, WorkingHours
from app.domain.slots import load_zone, require_aware, week_layout
from app.domain.windows import END_OF_DAY

_MINUTES_PER_DAY = 24 * 60
_MINUTES_PER_WEEK = 7 * _MINUTES_PER_DAY

# Wall-clock words, by the hour each stretch starts at (the last one before a time applies).
_TIME_OF_DAY = (
    (0, "middle of the night"),
    (5, "early morning"),
    (8, "morning"),
    (12, "midday"),
    (14, "afternoon"),
    (18, "evening"),
    (22, "late evening"),
)


@dataclass(frozen=True, slots=True)
class SlotForAsker:
    """One slot as the asker sees it: the instant, and how it sits in their day."""

    start: datetime  # aware, UTC
    local_start: datetime  # the same instant in the asker's zone
    inside_hours: bool
    minutes_outside: int  # 0 when inside; else how far outside the asker's hours it lies

    @property
    def words(self) -> str:
        """'07:15 for you, early morning' — how the asker would say this slot's time."""
        return f"{self.local_start:%H:%M} for you, {time_of_day(self.local_start.time())}"


@dataclass(frozen=True, slots=True)
class SharedOffer:
    """What to offer: slots inside both people's hours, or (``in_both_days`` false) the best others."""

    slots: tuple[SlotForAsker, ...]
    in_both_days: bool


def time_of_day(wall: time) -> str:
    """The words for a local wall-clock time: 'early morning', 'evening', …"""
    words = _TIME_OF_DAY[0][1]
    for hour, name in _TIME_OF_DAY:
        if wall.hour >= hour:
            words = name
    return words


def _week_minute(local: datetime) -> int:
    return local.weekday() * _MINUTES_PER_DAY + local.hour * 60 + local.minute


def _window_spans(windows: Iterable[WeeklyWindow]) -> list[tuple[int, int]]:
    """The windows as [start, end) minutes of the week, Monday 00:00 being 0."""
    spans = []
    for day in week_layout(windows):
        for window in day:
            base = window.weekday * _MINUTES_PER_DAY
            end = _MINUTES_PER_DAY if window.end == END_OF_DAY else window.end.hour * 60 + window.end.minute
            spans.append((base + window.start.hour * 60 + window.start.minute, base + end))
    return spans


def _minutes_outside(start: int, length: int, spans: Sequence[tuple[int, int]]) -> int:
    """0 when [start, start + length) lies inside one span; else the distance, in minutes around the
    week, from the slot to the nearest span (how much earlier or later the asker's day would need to
    stretch)."""
    end = start + length
    best = _MINUTES_PER_WEEK
    for span_start, span_end in spans:
        for shift in (-_MINUTES_PER_WEEK, 0, _MINUTES_PER_WEEK):  # the week wraps Sunday -> Monday
            low, high = span_start + shift, span_end + shift
            if low <= start and end <= high:
                return 0
            gap = max(low - start, end - high, 0)
            best = min(best, gap)
    return best


class AskerDay:
    """An asker's working hours, compiled once for checking many slots against them.

    A slot is inside the asker's hours when its 15 minutes of the asker's local wall-clock time lie in
    one of their windows; across a daylight-saving change this uses the local time the slot actually
    has on that day.
    """

    __slots__ = ("_by_day", "_inside", "_length", "_spans", "zone")

    def __init__(self, hours: WorkingHours) -> None:
        self.zone = load_zone(hours.tz)
        self._spans = _window_spans(hours.windows)
        self._length = SLOT_LENGTH // timedelta(minutes=1)
        # contains() is asked once per slot of every calendar searched: the same UTC instants recur
        # across mentors, so answers are kept, and each is one zone conversion and a day's spans.
        self._by_day: tuple[tuple[tuple[int, int], ...], ...] = tuple(
            tuple(
                (s - day * _MINUTES_PER_DAY, e - day * _MINUTES_PER_DAY)
                for s, e in self._spans
                if day * _MINUTES_PER_DAY <= s < (day + 1) * _MINUTES_PER_DAY
            )
            for day in range(7)
        )
        self._inside: dict[datetime, bool] = {}

    def minutes_outside(self, instant: datetime) -> int:
        if not self._spans:
            return _MINUTES_PER_WEEK
        return _minutes_outside(_week_minute(instant.astimezone(self.zone)), self._length, self._spans)

    def contains(self, instant: datetime) -> bool:
        """Whether the slot starting at ``instant`` is inside the asker's hours (``minutes_outside`` 0)."""
        inside = self._inside.get(instant)
        if inside is None:
            local = instant.astimezone(self.zone)
            start = local.hour * 60 + local.minute
            end = start + self._length
            inside = any(low <= start and end <= high for low, high in self._by_day[local.weekday()])
            self._inside[instant] = inside
        return inside

    def see(self, instant: datetime) -> SlotForAsker:
        require_aware(instant, "slot")
        outside = self.minutes_outside(instant)
        return SlotForAsker(instant, instant.astimezone(self.zone), outside == 0, outside)


def for_asker(
    slots: Iterable[datetime], asker_windows: Iterable[WeeklyWindow], asker_tz: str
) -> list[SlotForAsker]:
    """Each slot (an aware instant) as the asker sees it, in the order given."""
    day = AskerDay(WorkingHours(tuple(asker_windows), asker_tz))
    return [day.see(instant) for instant in slots]


def shared_offer(
    slots: Iterable[datetime],
    asker_windows: Iterable[WeeklyWindow],
    asker_tz: str,
    *,
    limit: int,
) -> SharedOffer:
    """Up to ``limit`` slots to offer the asker.

    Guarantees: when any slot lies inside the asker's hours, only such slots are offered, earliest
    first; otherwise the slots nearest the asker's hours are offered (ties: earliest first), flagged
    ``in_both_days=False`` so the answer can say no time fits both days. An empty ``slots`` gives an
    empty offer.
    """
    if limit < 0:
        raise ValueError(f"limit must be >= 0, got {limit}")
    seen = sorted(for_asker(slots, asker_windows, asker_tz), key=lambda s: s.start)
    inside = [s for s in seen if s.inside_hours]
    if inside:
        return SharedOffer(tuple(inside[:limit]), in_both_days=True)
    nearest = sorted(seen, key=lambda s: (s.minutes_outside, s.start))
    return SharedOffer(tuple(nearest[:limit]), in_both_days=False)
