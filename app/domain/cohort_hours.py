"""People's working hours on one shared clock, for a program's matching: how long two people's working
weeks overlap.

Each person's weekly windows (their own, in their own zone) are laid on the UTC week of a reference
date, as [start, end) minutes after Monday 00:00 UTC; the reference date pins daylight saving (a
program's sessions start near its start date, so that is the week used). For a whole cohort the weeks
become rows of half-hour cells and the overlap of every mentee x mentor pair is one matrix product
(float32 counts are exact up to 2**24, far above the 336 cells of a week).

Pure: standard library and numpy.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import numpy.typing as npt

from app.domain.model import DEFAULT_WINDOWS, WeeklyWindow

WEEK_MINUTES = 7 * 24 * 60
CELL = 30  # minutes: half-hour zones (India, parts of Australia) stay exact, the product stays small
CELLS = WEEK_MINUTES // CELL

Span = tuple[int, int]  # [start, end) minutes after Monday 00:00 UTC, 0 <= start < end <= WEEK_MINUTES


def utc_week(windows: Sequence[WeeklyWindow], tz: str, week_of: date) -> tuple[Span, ...]:
    """``windows`` (in zone ``tz``) as spans of the UTC week that holds ``week_of``; an unknown zone
    reads as UTC (the person still has hours, we just can't place them better)."""
    try:
        zone = ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        zone = ZoneInfo("UTC")
    monday = week_of - timedelta(days=week_of.weekday())
    origin = datetime.combine(monday, time(0), tzinfo=UTC)
    spans: list[Span] = []
    for w in windows:
        day = monday + timedelta(days=w.weekday)
        start = datetime.combine(day, w.start, tzinfo=zone)
        end = (
            datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
            if w.end == time.max
            else datetime.combine(day, w.end, tzinfo=zone)
        )
        a = int((start.astimezone(UTC) - origin).total_seconds() // 60)
        b = int((end.astimezone(UTC) - origin).total_seconds() // 60)
        spans += _wrapped(a, b)
    return tuple(sorted(spans))


def offset_week(utc_offset_minutes: int) -> tuple[Span, ...]:
    """The default week (Monday to Friday, 09:00-17:00) of someone whose zone is only known as an offset
    (applications stored before hours were read)."""
    spans: list[Span] = []
    for w in DEFAULT_WINDOWS:
        a = w.weekday * 24 * 60 + w.start.hour * 60 + w.start.minute - utc_offset_minutes
        b = w.weekday * 24 * 60 + w.end.hour * 60 + w.end.minute - utc_offset_minutes
        spans += _wrapped(a, b)
    return tuple(sorted(spans))


def _wrapped(a: int, b: int) -> list[Span]:
    """[a, b) folded into one week (a window may cross the week's edge once in UTC)."""
    if b <= a:
        return []
    length = min(b - a, WEEK_MINUTES)
    a %= WEEK_MINUTES
    b = a + length
    if b <= WEEK_MINUTES:
        return [(a, b)]
    return [(a, WEEK_MINUTES), (0, b - WEEK_MINUTES)]


def week_cells(weeks: Sequence[Sequence[Span] | None]) -> npt.NDArray[np.float32]:
    """One row per person: 1 in each half-hour cell of the UTC week wholly inside their hours (an unknown
    week, None, is a row of zeros)."""
    out = np.zeros((len(weeks), CELLS), dtype=np.float32)
    for i, spans in enumerate(weeks):
        for a, b in spans or ():
            first, last = -(-a // CELL), b // CELL
            if last > first:
                out[i, first:last] = 1.0
    return out


def overlap_hours(
    a: Sequence[Sequence[Span] | None], b: Sequence[Sequence[Span] | None]
) -> npt.NDArray[np.int64]:
    """Whole hours a week both people of each (a row, b column) pair are at work."""
    if not len(a) or not len(b):
        return np.zeros((len(a), len(b)), dtype=np.int64)
    cells = week_cells(a) @ week_cells(b).T
    return (np.rint(cells).astype(np.int64) * CELL) // 60
