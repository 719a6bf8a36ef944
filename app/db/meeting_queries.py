"""Queries the micro-mentoring use cases need beyond ``queries``: asks, requests and a mentor's week."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, bindparam, func, or_, select
from sqlalchemy.orm import Session

from app.db.models import Ask, Meeting, MentorProfile
from app.domain.lunch import LUNCH_LENGTH
from app.domain.model import SLOT_LENGTH, MeetingStatus


def declined_by(session: Session, ask_id: int) -> set[str]:
    """The mentors who declined a request for this ask (it is not offered to them again)."""
    return set(
        session.scalars(
            select(Meeting.mentor_id).where(
                Meeting.ask_id == ask_id, Meeting.status == MeetingStatus.DECLINED.value
            )
        )
    )


def lock_mentor_profile(session: Session, mentor_id: str) -> MentorProfile | None:
    """The mentor's profile, locked on PostgreSQL so requests to one mentor are serialised and their
    capacity can't be overrun by a race (SQLite serialises writers anyway)."""
    return session.scalar(select(MentorProfile).where(MentorProfile.user_id == mentor_id).with_for_update())


def mentor_of(session: Session, meeting_id: int) -> str | None:
    return session.scalar(select(Meeting.mentor_id).where(Meeting.id == meeting_id))


def asks_by_id(session: Session, ask_ids: Iterable[int]) -> dict[int, Ask]:
    return {a.id: a for a in session.scalars(select(Ask).where(Ask.id.in_(set(ask_ids))))}


def held_between(session: Session, mentor_id: str, start: datetime, end: datetime) -> int:
    """How many conversations the mentor holds a slot for in [start, end)."""
    return int(
        session.scalar(
            select(func.count())
            .select_from(Meeting)
            .where(Meeting.mentor_id == mentor_id, Meeting.hold_start >= start, Meeting.hold_start < end)
        )
        or 0
    )


# "My conversations" is the most frequent read: its statements are built once (bound by name), so a
# request neither rebuilds them nor recomputes their cache keys, and they run on a plain connection.
_CONVERSATIONS = (
    select(Meeting.id, Meeting.ask_id, Meeting.asker_id, Meeting.mentor_id)
    .add_columns(Meeting.start_at, Meeting.status, Ask.goal, Ask.topics)
    .join(Ask, Ask.id == Meeting.ask_id)
    .where(or_(Meeting.asker_id == bindparam("user_id"), Meeting.mentor_id == bindparam("user_id")))
    .where(Meeting.status.in_(bindparam("statuses", expanding=True)), Meeting.start_at >= bindparam("since"))
    .order_by(Meeting.start_at)
)
_OPEN_ASKS = (
    select(Ask.id, Ask.goal, Ask.topics, Ask.created_at)
    .where(Ask.asker_id == bindparam("user_id"), Ask.status == "open")
    .order_by(Ask.created_at.desc())
    .limit(bindparam("limit"))
)


def conversations_of(
    connection: Connection, user_id: str, *, statuses: Iterable[str], since: datetime
) -> list[Any]:
    """A person's meetings (either side) with their ask's goal and topics, by start, as plain rows."""
    params = {"user_id": user_id, "statuses": list(statuses), "since": since}
    return list(connection.execute(_CONVERSATIONS, params))


def open_asks_rows(connection: Connection, user_id: str, *, limit: int = 10) -> list[Any]:
    """A person's latest open asks as plain rows (id, goal, topics, created_at), newest first."""
    return list(connection.execute(_OPEN_ASKS, {"user_id": user_id, "limit": limit}))


def talk_time_in(
    session: Session,
    *,
    after: datetime,
    until: datetime,
    users: Sequence[str] | None = None,
    people: Sequence[str] = (),
    lunches: bool = False,
    mentors_asks: bool = True,
) -> dict[str, list[tuple[datetime, datetime]]]:
    """The 15-minute conversations holding time (requested or confirmed) overlapping [after, until), as
    (start, end) per person, unsorted; lunches (an hour) too when ``lunches``, otherwise they are left
    to ``session_queries.busy_in``, which reads them for everyone.

    ``users`` given: theirs, on either side. ``users`` None (a ranking over everyone): each mentor's
    conversations as the asker (their own as the mentor are the register's held starts already), and
    ``people``'s (the asker, the viewer) on either side; ``mentors_asks`` False leaves out the former
    (an ask's ranking reads only its offered mentors' afterwards: ``session_time.offered_mentors_talks``).
    At most three statements, however many mentors."""
    holding = (MeetingStatus.REQUESTED.value, MeetingStatus.CONFIRMED.value)
    window = (
        Meeting.status.in_(holding),
        Meeting.start_at < until,
        Meeting.start_at > after - (LUNCH_LENGTH if lunches else SLOT_LENGTH),
    )
    columns = (Meeting.asker_id, Meeting.mentor_id, Meeting.start_at, Meeting.minutes)
    # Separate statements, each on its own index: an OR over both sides (or a ``minutes IS NULL``
    # filter) sent the planner through every held meeting in the window (~18 ms in the ask benchmark).
    queries = []
    named = list(users) if users is not None else list(people)
    if named:
        queries += [
            select(*columns).where(*window, Meeting.asker_id.in_(named)),
            select(*columns).where(*window, Meeting.mentor_id.in_(named)),
        ]
    if users is None and mentors_asks:
        queries.append(select(*columns).where(*window, Meeting.asker_id.in_(select(MentorProfile.user_id))))
    wanted = set(named)
    found: dict[str, list[tuple[datetime, datetime]]] = {}
    for query in queries:
        for asker_id, mentor_id, start, minutes in session.execute(query):
            if minutes and not lunches:
                continue  # a lunch: busy_in has it, for everyone
            end = start + (timedelta(minutes=minutes) if minutes else SLOT_LENGTH)
            if end <= after:
                continue
            found.setdefault(asker_id, []).append((start, end))
            if mentor_id in wanted:
                found.setdefault(mentor_id, []).append((start, end))
    if users is not None:
        found = {user: intervals for user, intervals in found.items() if user in wanted}
    return found
