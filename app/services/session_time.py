"""The time people are already taken from 1:1 offers: each person's open sessions (hosting, or a seat
held), lunches and other 1:1 conversations (either side, requested or confirmed) in the offers' horizon,
read once per ranking, for ``rank_mentors(busy=...)`` and the asker's ``AskSpec.asker_busy``; and the
checks a 1:1 request makes before it holds a slot."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from app.db import meeting_queries as mq
from app.db import session_queries as sq
from app.domain.busy import Busy, Interval, overlaps
from app.domain.formats import RULES
from app.domain.model import SLOT_LENGTH, Ranking
from app.domain.slots import DEFAULT_HORIZON

LONGEST_SESSION = max(rules.max_length for rules in RULES.values())


def busy_in_horizon(
    session: Session,
    *,
    now: datetime,
    users: Sequence[str] | None = None,
    people: Sequence[str] = (),
    mentors_asks: bool = True,
) -> Busy:
    """Everyone's (or ``users``') taken time from now to the end of the offers' horizon: sessions,
    lunches, and 1:1s. Over everyone, a mentor's own 15-minute talks as the mentor are left to the
    register's held starts; ``people`` (the asker, the viewer) get theirs on either side too; and
    mentors' own asks of other mentors unless ``mentors_asks`` is False (see offered_mentors_talks)."""
    until = now + DEFAULT_HORIZON
    return _merged(
        sq.busy_in(session, after=now, until=until, longest=LONGEST_SESSION, users=users),
        mq.talk_time_in(
            session, after=now, until=until, users=users, people=people, mentors_asks=mentors_asks
        ),
    )


def offered_mentors_talks(session: Session, ranking: Ranking, *, now: datetime) -> Busy:
    """The offered mentors' 1:1s (as another mentor's asker) when one overlaps a slot they are offered
    at, else nothing: then the ask is ranked again with them (``with_busy``).

    Reading every mentor's asks of other mentors for each ask costs 13-27 ms at 10,000 mentors (a few
    hundred rows); the few offered mentors' are one small read, and a second ranking happens only
    when one of them is asking someone else at an offered time."""
    ids = [offer.mentor.user_id for offer in ranking.offers]
    if not ids:
        return {}
    found = mq.talk_time_in(session, after=now, until=now + DEFAULT_HORIZON, users=ids)
    theirs = {user: tuple(sorted(intervals)) for user, intervals in found.items()}
    clash = any(
        overlaps(theirs.get(offer.mentor.user_id, ()), start, SLOT_LENGTH)
        for offer in ranking.offers
        for start in offer.slots
    )
    return theirs if clash else {}


def with_busy(busy: Busy, more: Busy) -> Busy:
    return _merged(
        {user: list(intervals) for user, intervals in busy.items()},
        {user: list(intervals) for user, intervals in more.items()},
    )


def _merged(*maps: dict[str, list[Interval]]) -> Busy:
    merged: dict[str, list[Interval]] = {}
    for found in maps:
        for user, intervals in found.items():
            merged.setdefault(user, []).extend(intervals)
    return {user: tuple(sorted(set(intervals))) for user, intervals in merged.items()}


def own_busy(busy: Busy, user_id: str) -> tuple[Interval, ...]:
    return tuple(busy.get(user_id, ()))


def in_a_session(session: Session, user_ids: Sequence[str], start: datetime, *, now: datetime) -> bool:
    """Whether any of ``user_ids`` hosts or sits in a session, or has another 1:1 (either side),
    overlapping the 1:1 slot at ``start``."""
    until = start + SLOT_LENGTH
    found = _merged(
        sq.busy_in(session, after=now, until=until, longest=LONGEST_SESSION, users=user_ids),
        mq.talk_time_in(session, after=now, until=until, users=user_ids),
    )
    return any(overlaps(intervals, start, SLOT_LENGTH) for intervals in found.values())


def in_another_talk(
    session: Session, user_id: str, start: datetime, length: timedelta, *, now: datetime
) -> bool:
    """Whether ``user_id`` has another 1:1 (a 15-minute talk or a lunch, either side, requested or
    confirmed) overlapping [start, start + length): the check a late pick makes before it holds a slot."""
    talks = mq.talk_time_in(session, after=now, until=start + length, users=[user_id], lunches=True)
    return overlaps(sorted(talks.get(user_id, ())), start, length)
