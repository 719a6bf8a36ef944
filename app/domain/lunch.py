"""Mentoring lunches (issue #12): an hour in person around midday, at the office the asker and the
mentor share, on a day the mentor is usually in. Slots are variable-length: ``LUNCH_LENGTH`` from a few
starts around midday in the office's zone, where the 1:1 slots are 15 minutes from a mentor's windows.

Pure: standard library only; ``now`` is passed in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from app.domain.busy import Interval, overlaps
from app.domain.model import SLOT_LENGTH
from app.domain.slots import DEFAULT_HORIZON, DEFAULT_LEAD, load_zone

LUNCH_LENGTH = timedelta(minutes=60)
LUNCH_STARTS = (time(11, 30), time(12, 0), time(12, 30), time(13, 0))  # the office's wall clock


@dataclass(frozen=True, slots=True)
class LunchMentor:
    """A mentor who may be offered a lunch: on the register, free to mentor, at the asker's office."""

    user_id: str
    topics: frozenset[str]
    office_days: tuple[int, ...]  # Monday 0; none: they never get in-person asks
    capacity_per_week: int
    held_starts: tuple[datetime, ...] = ()  # their 1:1s, 15 minutes each
    busy: tuple[Interval, ...] = ()  # sessions and other lunches


@dataclass(frozen=True, slots=True)
class LunchOffer:
    mentor_id: str
    matched_topics: frozenset[str]
    slots: tuple[datetime, ...]


def lunch_slots(
    mentor: LunchMentor,
    office_tz: str,
    *,
    now: datetime,
    asker_busy: Sequence[Interval] = (),
    asker_days: Iterable[int] = (),
    horizon: timedelta = DEFAULT_HORIZON,
    limit: int = 3,
) -> list[datetime]:
    """The mentor's lunch slots (aware UTC starts, earliest first) in [now + lead, now + horizon): on their
    office days (and the asker's, when the asker named theirs), at ``LUNCH_STARTS`` in the office's zone,
    an hour each, clear of both people's 1:1s, sessions and lunches, in weeks the mentor has room in
    (a lunch counts as one conversation against their weekly capacity)."""
    zone = load_zone(office_tz)
    days = set(mentor.office_days) & set(asker_days) if asker_days else set(mentor.office_days)
    if not days or mentor.capacity_per_week <= 0:
        return []
    held = sorted((start, start + SLOT_LENGTH) for start in mentor.held_starts)
    taken = sorted([*held, *mentor.busy])
    per_week: dict[datetime, int] = {}
    for start in mentor.held_starts:
        per_week[_monday(start, zone)] = per_week.get(_monday(start, zone), 0) + 1
    found: list[datetime] = []
    day = (now + DEFAULT_LEAD).astimezone(zone).date()
    while len(found) < limit:
        if day.weekday() in days:
            for wall in LUNCH_STARTS:
                start = datetime.combine(day, wall, tzinfo=zone).astimezone(UTC)
                if start >= now + horizon:
                    return found
                full = per_week.get(_monday(start, zone), 0) >= mentor.capacity_per_week
                if start < now + DEFAULT_LEAD or full:
                    continue
                if overlaps(taken, start, LUNCH_LENGTH) or overlaps(asker_busy, start, LUNCH_LENGTH):
                    continue
                found.append(start)
                if len(found) >= limit:
                    break
        elif datetime.combine(day, time(), tzinfo=zone).astimezone(UTC) >= now + horizon:
            break
        day += timedelta(days=1)
    return found


def rank_lunches(
    mentors: Iterable[LunchMentor],
    topics: frozenset[str],
    office_tz: str,
    *,
    now: datetime,
    asker_id: str,
    asker_busy: Sequence[Interval] = (),
    asker_days: Iterable[int] = (),
    max_offers: int = 3,
) -> tuple[tuple[LunchOffer, ...], bool]:
    """Up to ``max_offers`` lunch offers, most asked topics covered first, then the earliest lunch, then
    ``user_id``; and whether they match the asked topics (False: the best others, as 1:1 asks do)."""
    offers = []
    for mentor in mentors:
        if mentor.user_id == asker_id:
            continue
        slots = lunch_slots(mentor, office_tz, now=now, asker_busy=asker_busy, asker_days=tuple(asker_days))
        if slots:
            offers.append((-len(mentor.topics & topics), slots[0], mentor.user_id, mentor, slots))
    offers.sort(key=lambda entry: entry[:3])
    matched = [entry for entry in offers if entry[0] < 0]
    chosen, topic_matched = (matched, True) if matched or not topics else (offers, False)
    return (
        tuple(LunchOffer(m.user_id, m.topics & topics, tuple(slots)) for *_, m, slots in chosen[:max_offers]),
        topic_matched,
    )


def _monday(instant: datetime, zone: ZoneInfo) -> datetime:
    local = instant.astimezone(zone)
    return datetime.combine(local.date() - timedelta(days=local.weekday()), time())
