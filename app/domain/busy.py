"""Time people are already taken: a hosted session's host and seated people are busy for its length,
so no 1:1 slot overlapping it is offered to them (issue #12).

Pure: standard library only. An interval is ``(start, end)``, aware instants, ``start < end``.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime, timedelta

Interval = tuple[datetime, datetime]
Busy = Mapping[str, Sequence[Interval]]  # user id -> their busy intervals, sorted by start

NOBODY_BUSY: Busy = {}


def sorted_intervals(intervals: Iterable[Interval]) -> tuple[Interval, ...]:
    return tuple(sorted(intervals))


def overlaps(intervals: Sequence[Interval], start: datetime, length: timedelta) -> bool:
    """Whether [start, start + length) overlaps any of ``intervals`` (sorted by start). Touching ends
    do not overlap: a 1:1 may start as a session ends."""
    end = start + length
    # Only intervals starting before ``end`` can overlap; of those, any ending after ``start`` does.
    last = bisect.bisect_left(intervals, (end,))
    return any(stop > start for _, stop in intervals[:last])


def free_of(intervals: Sequence[Interval], length: timedelta) -> Callable[[datetime], bool] | None:
    """A slot filter keeping slots of ``length`` clear of ``intervals``; None when there are none."""
    if not intervals:
        return None
    return lambda start: not overlaps(intervals, start, length)
