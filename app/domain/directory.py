"""The mentor register as people browse it: who is listed, in what order, one page at a time.

The micro-mentoring protocol starts with "list all those who would be happy to act as mentors, and
share it". Listed: mentors taking requests now (available, not away, a weekly capacity above 0), other
than the person browsing; with topics given, only those covering at least one of them. Mentors who are
away are counted, not listed: the list is for asking, and an entry nobody can ask is a dead end.
Order: most asked topics covered first, then fewer conversations in the last 30 days (so browsing
spreads asks as ranking does), then ``user_id`` so a page holds the same people on every look.

Pure: no clock (``now`` is passed in), no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from app.domain.busy import NOBODY_BUSY, Busy, overlaps
from app.domain.model import SLOT_LENGTH, Mentor, MentorLoad
from app.domain.slots import free_slots, require_aware

PAGE_SIZE = 8


@dataclass(frozen=True, slots=True)
class Listed:
    mentor: Mentor
    matched_topics: frozenset[str]
    next_slot: datetime | None  # None: no free 15 minutes in the next two weeks


@dataclass(frozen=True, slots=True)
class DirectoryPage:
    entries: tuple[Listed, ...]
    page: int  # 1-based, clamped to [1, pages]
    pages: int  # at least 1
    total: int  # mentors listed over all pages
    away: int  # mentors who would be listed but are away now


def _listable(mentor: Mentor) -> bool:
    return mentor.available and mentor.capacity_per_week > 0


def _is_away(mentor: Mentor, now: datetime) -> bool:
    if mentor.away_until is None:
        return False
    require_aware(mentor.away_until, "away_until")
    return mentor.away_until > now


def browse(
    mentors: Iterable[Mentor],
    asked: frozenset[str],
    loads: Mapping[str, MentorLoad],
    *,
    viewer_id: str,
    page: int,
    now: datetime,
    page_size: int = PAGE_SIZE,
    busy: Busy = NOBODY_BUSY,
) -> DirectoryPage:
    """One page of the register for ``viewer_id``; the next free slot is looked up for that page only,
    clear of both the mentor's and the viewer's taken time (``busy``: sessions, other 1:1s)."""
    require_aware(now, "now")
    if page_size < 1:
        raise ValueError(f"page_size must be >= 1, got {page_size}")
    listed: list[tuple[int, int, str, Mentor, frozenset[str]]] = []
    away = 0
    for mentor in mentors:
        if mentor.user_id == viewer_id or not _listable(mentor):
            continue
        matched = mentor.topics & asked
        if asked and not matched:
            continue
        if _is_away(mentor, now):
            away += 1
            continue
        recent = loads[mentor.user_id].recent_conversations if mentor.user_id in loads else 0
        listed.append((-len(matched), recent, mentor.user_id, mentor, matched))
    listed.sort(key=lambda row: row[:3])
    pages = max(1, -(-len(listed) // page_size))
    page = min(max(page, 1), pages)
    chosen = listed[(page - 1) * page_size : page * page_size]
    entries = []
    viewer_busy = tuple(busy.get(viewer_id, ()))
    for *_, mentor, matched in chosen:
        load = loads.get(mentor.user_id)
        sessions = busy.get(mentor.user_id, ())
        if viewer_busy:
            sessions = sorted([*sessions, *viewer_busy])
        slots = free_slots(
            mentor.windows,
            mentor.tz,
            load.held_starts if load else (),
            mentor.capacity_per_week,
            now=now,
            limit=None if sessions else 1,  # only a mentor in a session needs more than the first
        )
        clear = (s for s in slots if not overlaps(sessions, s, SLOT_LENGTH))
        entries.append(Listed(mentor, matched, next(clear, None)))
    return DirectoryPage(tuple(entries), page, pages, len(listed), away)
