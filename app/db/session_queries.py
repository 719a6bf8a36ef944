"""Hosted sessions and their seats: find them, list the upcoming ones, take and free seats atomically."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, func, or_, select, update
from sqlalchemy.orm import Session

from app.db.dialects import insert_or_ignore, skip_locked
from app.db.models import (
    Ask,
    HostedSession,
    Meeting,
    MentorProfile,
    MentorTopic,
    Office,
    SessionSeat,
    SessionTopic,
)
from app.domain.lunch import LUNCH_LENGTH
from app.domain.model import MeetingStatus
from app.domain.slots import SLOT_LENGTH

OPEN, CANCELLED = "open", "cancelled"
TAKEN, WAITLISTED, LEFT = "taken", "waitlisted", "left"
OFFERED = "offered"  # a freed seat held for the first waiting until ``offer_expires_at``
LUNCH_MINUTES = (LUNCH_LENGTH // timedelta(minutes=1),)


def topics_column(topics: Sequence[str]) -> str:
    """ ",python,sre,": every topic between commas, so ``LIKE '%,python,%'`` finds exactly one."""
    return f",{','.join(topics)}," if topics else ""


def topics_of(row: HostedSession) -> tuple[str, ...]:
    return tuple(t for t in row.topics.split(",") if t)


def on_register(session: Session, user_id: str) -> bool:
    """Whether the person is on the mentor register (away or paused still counts: they may host)."""
    return bool(session.scalar(select(MentorProfile.active).where(MentorProfile.user_id == user_id)))


def session_by_id(session: Session, session_id: int) -> HostedSession | None:
    return session.get(HostedSession, session_id)


def office_name(session: Session, office_id: int | None) -> str | None:
    return None if office_id is None else session.scalar(select(Office.name).where(Office.id == office_id))


def set_topics(session: Session, session_id: int, topics: Sequence[str], *, start: datetime) -> None:
    """The session's rows in ``session_topics`` (what a list by topic looks up), one per topic."""
    session.execute(delete(SessionTopic).where(SessionTopic.session_id == session_id))
    unique = list(dict.fromkeys(t for t in topics if t))
    if unique:
        session.add_all(SessionTopic(session_id=session_id, topic=t, start_at=start) for t in unique)
        session.flush()


def _on_topics(topics: Sequence[str], *, now: datetime) -> ColumnElement[bool]:
    """The session has one of ``topics`` and starts after ``now``: an index range per topic
    ``(topic, start_at > now)`` in ``session_topics``, however rare the topic is."""
    return HostedSession.id.in_(
        select(SessionTopic.session_id).where(
            SessionTopic.topic.in_(list(topics)), SessionTopic.start_at > now
        )
    )


@dataclass(frozen=True, slots=True)
class Listed:
    """A session with what a list shows beside it: people waiting, the viewer's seat status, the office."""

    row: HostedSession
    waitlisted: int
    status: str | None
    office: str | None


def _beside(viewer: str) -> tuple[ColumnElement[int], ColumnElement[str | None], ColumnElement[str | None]]:
    """Per session, as correlated subqueries (computed for the page's rows only): how many wait, the
    viewer's seat status (one seat row per person and session), the office's name."""
    waiting = (
        select(func.count())
        .where(SessionSeat.session_id == HostedSession.id, SessionSeat.status == WAITLISTED)
        .correlate(HostedSession)
        .scalar_subquery()
    )
    mine = (
        select(SessionSeat.status)
        .where(SessionSeat.session_id == HostedSession.id, SessionSeat.user_id == viewer)
        .correlate(HostedSession)
        .scalar_subquery()
    )
    office = (
        select(Office.name)
        .where(Office.id == HostedSession.office_id)
        .correlate(HostedSession)
        .scalar_subquery()
    )
    return waiting, mine, office


def listed(session: Session, rows: Sequence[HostedSession], viewer: str) -> list[Listed]:
    """``rows`` with what a list shows beside each (one query for them all), in their order."""
    if not rows:
        return []
    query = select(HostedSession.id, *_beside(viewer)).where(HostedSession.id.in_([r.id for r in rows]))
    found = {
        session_id: (waiting, mine, office) for session_id, waiting, mine, office in session.execute(query)
    }
    return [Listed(r, *found[r.id]) for r in rows]


def upcoming(
    session: Session,
    *,
    now: datetime,
    viewer: str,
    topics: Sequence[str] = (),
    where: str | None = None,
    office_id: int | None = None,
    limit: int = 20,
) -> list[Listed]:
    """Open sessions that haven't started, soonest first, with the filters given, and what the list shows
    beside each for ``viewer``: one query for the page."""
    query = select(HostedSession, *_beside(viewer)).where(
        HostedSession.status == OPEN, HostedSession.start_at > now
    )
    order: tuple[Any, ...] = (HostedSession.start_at, HostedSession.id)
    topics = list(dict.fromkeys(topics))
    if len(topics) == 1:
        # Walk the topic's index from now on, in the list's order (a topic row's start is its session's),
        # so a common topic stops at the page's end and a rare one reads just its own sessions.
        query = query.join(
            SessionTopic,
            and_(
                SessionTopic.session_id == HostedSession.id,
                SessionTopic.topic == topics[0],
                SessionTopic.start_at > now,
            ),
        )
        order = (SessionTopic.start_at, SessionTopic.session_id)
    elif topics:
        query = query.where(_on_topics(topics, now=now))
    if where is not None:
        query = query.where(HostedSession.where == where)
    if office_id is not None:
        query = query.where(HostedSession.office_id == office_id)
    page = session.execute(query.order_by(*order).limit(limit))
    return [Listed(row, waiting, mine, office) for row, waiting, mine, office in page]


def seat_of(session: Session, session_id: int, user_id: str) -> SessionSeat | None:
    return session.scalar(
        select(SessionSeat).where(SessionSeat.session_id == session_id, SessionSeat.user_id == user_id)
    )


def seats_by_status(session: Session, session_id: int, status: str) -> list[SessionSeat]:
    """The session's seats with ``status``, in the order people got it (the waitlist's order)."""
    return list(
        session.scalars(
            select(SessionSeat)
            .where(SessionSeat.session_id == session_id, SessionSeat.status == status)
            .order_by(SessionSeat.since, SessionSeat.id)
        )
    )


def take_a_seat(session: Session, session_id: int, *, now: datetime) -> bool:
    """Count one more seat taken, if one is left: one conditional UPDATE, so of several transactions
    racing for the last seat exactly one gets it. PostgreSQL re-checks ``taken < seats`` on the row a
    concurrent winner committed (the loser waits on its row lock, then updates nothing); SQLite
    serialises writers (``BEGIN IMMEDIATE``)."""
    taken = session.execute(
        update(HostedSession)
        .where(
            HostedSession.id == session_id,
            HostedSession.status == OPEN,
            HostedSession.start_at > now,
            HostedSession.gathered_at.is_(None),
            HostedSession.taken < HostedSession.seats,
        )
        .values(taken=HostedSession.taken + 1, updated_at=now)
        .returning(HostedSession.id)
        .execution_options(synchronize_session=False)
    ).first()
    return taken is not None


def free_a_seat(session: Session, session_id: int, *, now: datetime) -> None:
    session.execute(
        update(HostedSession)
        .where(HostedSession.id == session_id, HostedSession.taken > 0)
        .values(taken=HostedSession.taken - 1, updated_at=now)
        .execution_options(synchronize_session=False)
    )


def cancel(session: Session, session_id: int, *, now: datetime) -> bool:
    """Mark an open session cancelled; False when it already was (two clicks on Cancel)."""
    done = session.execute(
        update(HostedSession)
        .where(HostedSession.id == session_id, HostedSession.status == OPEN)
        .values(status=CANCELLED, updated_at=now)
        .returning(HostedSession.id)
        .execution_options(synchronize_session=False)
    ).first()
    return done is not None


def clashing_conversation(session: Session, user_id: str, start: datetime, end: datetime) -> datetime | None:
    """The start of a 1:1 the person has (asked for or confirmed, on either side) that overlaps
    [start, end), the earliest; None when there is none."""
    return session.scalar(
        select(func.min(Meeting.start_at)).where(
            or_(Meeting.mentor_id == user_id, Meeting.asker_id == user_id),
            Meeting.status.in_((MeetingStatus.REQUESTED.value, MeetingStatus.CONFIRMED.value)),
            Meeting.start_at < end,
            Meeting.start_at > start - SLOT_LENGTH,
        )
    )


def move(session: Session, session_id: int, *, start: datetime, sequence: int, now: datetime) -> bool:
    """Move an open session at revision ``sequence`` to ``start``: the next revision, its group DM to
    open again before the new time. False when it was cancelled or moved meanwhile (two submits)."""
    done = session.execute(
        update(HostedSession)
        .where(
            HostedSession.id == session_id, HostedSession.status == OPEN, HostedSession.sequence == sequence
        )
        .values(start_at=start, sequence=sequence + 1, gathered_at=None, updated_at=now)
        .returning(HostedSession.id)
        .execution_options(synchronize_session=False)
    ).first()
    if done is None:
        return False
    session.execute(
        update(SessionTopic)
        .where(SessionTopic.session_id == session_id)
        .values(start_at=start)
        .execution_options(synchronize_session=False)
    )
    return True


def add_seat(session: Session, session_id: int, user_id: str, status: str, *, now: datetime) -> bool:
    """A first seat row for the person; False when they already have one (a double click racing)."""
    values = dict(
        session_id=session_id,
        user_id=user_id,
        status=status,
        since=now,
        taken_at=now if status == TAKEN else None,
    )
    inserted = session.execute(
        insert_or_ignore(session, SessionSeat, values, ["session_id", "user_id"]).returning(SessionSeat.id)
    ).first()
    return inserted is not None


def set_seat_status(seat: SessionSeat, status: str, *, now: datetime) -> None:
    seat.status, seat.since = status, now
    seat.offer_expires_at = None
    if status == TAKEN:
        seat.taken_at = now


def upcoming_seats_of(session: Session, user_id: str, *, now: datetime) -> list[int]:
    """The open, not yet started sessions the person has a seat in or is waiting for."""
    return list(
        session.scalars(
            select(SessionSeat.session_id)
            .join(HostedSession, HostedSession.id == SessionSeat.session_id)
            .where(
                SessionSeat.user_id == user_id,
                SessionSeat.status.in_((TAKEN, OFFERED, WAITLISTED)),
                HostedSession.status == OPEN,
                HostedSession.start_at > now,
            )
            .order_by(SessionSeat.session_id)
        )
    )


def upcoming_hosted_by(session: Session, user_id: str, *, now: datetime) -> list[int]:
    return list(
        session.scalars(
            select(HostedSession.id)
            .where(
                HostedSession.host_id == user_id, HostedSession.status == OPEN, HostedSession.start_at > now
            )
            .order_by(HostedSession.id)
        )
    )


def due_for_gathering(session: Session, *, now: datetime, lead: timedelta, limit: int) -> list[HostedSession]:
    """Open sessions starting within ``lead`` whose group DM isn't open yet, claimed (skip locked) so
    replicas split them."""
    query = (
        select(HostedSession)
        .where(
            HostedSession.status == OPEN,
            HostedSession.gathered_at.is_(None),
            HostedSession.start_at > now,
            HostedSession.start_at <= now + lead,
        )
        .order_by(HostedSession.start_at, HostedSession.id)
        .limit(limit)
    )
    return list(session.scalars(skip_locked(session, query)))


def starting_between(session: Session, *, after: datetime, until: datetime) -> list[HostedSession]:
    """Open sessions starting in (after, until], soonest first (the reminders' sweep)."""
    query = (
        select(HostedSession)
        .where(HostedSession.status == OPEN, HostedSession.start_at > after, HostedSession.start_at <= until)
        .order_by(HostedSession.start_at, HostedSession.id)
    )
    return list(session.scalars(query))


def running_with_check_ins(session: Session, *, now: datetime, longest: timedelta) -> list[HostedSession]:
    """Open sessions under way at ``now`` whose host asked for check-ins."""
    query = select(HostedSession).where(
        HostedSession.status == OPEN,
        HostedSession.check_ins.is_(True),
        HostedSession.start_at <= now,
        HostedSession.start_at > now - longest,
    )
    return [row for row in session.scalars(query) if row.start_at + timedelta(minutes=row.minutes) > now]


def upcoming_of(session: Session, user_id: str, *, now: datetime, limit: int = 10) -> list[HostedSession]:
    """Open sessions still to come that the person hosts, has a seat in or waits for, soonest first."""
    theirs = select(SessionSeat.session_id).where(
        SessionSeat.user_id == user_id, SessionSeat.status.in_((TAKEN, OFFERED, WAITLISTED))
    )
    query = select(HostedSession).where(
        HostedSession.status == OPEN,
        HostedSession.start_at > now,
        or_(HostedSession.host_id == user_id, HostedSession.id.in_(theirs)),
    )
    return list(session.scalars(query.order_by(HostedSession.start_at, HostedSession.id).limit(limit)))


def ended_unasked(session: Session, *, now: datetime, longest: timedelta, limit: int) -> list[HostedSession]:
    """Open sessions over by ``now`` (begun within ``longest`` plus a week) whose seat holders weren't
    asked how it went yet, claimed (skip locked) so replicas split them."""
    query = (
        select(HostedSession)
        .where(
            HostedSession.status == OPEN,
            HostedSession.feedback_asked_at.is_(None),
            HostedSession.start_at <= now,
            HostedSession.start_at > now - longest - timedelta(days=7),
        )
        .order_by(HostedSession.start_at, HostedSession.id)
        .limit(limit)
    )
    rows = list(session.scalars(skip_locked(session, query)))
    return [row for row in rows if row.start_at + timedelta(minutes=row.minutes) <= now]


def lapsed_offers(session: Session, *, now: datetime, limit: int) -> list[SessionSeat]:
    """Seats held for someone whose time to take them ran out, claimed (skip locked) for one replica."""
    query = (
        select(SessionSeat)
        .where(SessionSeat.status == OFFERED, SessionSeat.offer_expires_at <= now)
        .order_by(SessionSeat.offer_expires_at, SessionSeat.id)
        .limit(limit)
    )
    return list(session.scalars(skip_locked(session, query)))


def busy_in(
    session: Session,
    *,
    after: datetime,
    until: datetime,
    longest: timedelta,
    users: Sequence[str] | None = None,
) -> dict[str, list[tuple[datetime, datetime]]]:
    """Each person's open sessions overlapping [after, until) as (start, end), sorted: the host's and
    every seat held (taken, or offered and held for them); and the lunches they hold (requested or
    confirmed, either side), whose hour a 15-minute hold doesn't cover. ``users`` None: everyone's."""
    window = (
        HostedSession.status == OPEN,
        HostedSession.start_at < until,
        HostedSession.start_at > after - longest,
    )
    hosts = select(HostedSession.host_id, HostedSession.start_at, HostedSession.minutes).where(*window)
    seated = (
        select(SessionSeat.user_id, HostedSession.start_at, HostedSession.minutes)
        .join(HostedSession, HostedSession.id == SessionSeat.session_id)
        .where(*window, SessionSeat.status.in_((TAKEN, OFFERED)))
    )
    lunch = (
        # ``IN`` the lengths a lunch has, not ``IS NOT NULL``: so SQLite's planner takes the minutes index
        # (a few lunches) over the status one (every talk in the window), which cost every ask ~50 ms.
        Meeting.minutes.in_(LUNCH_MINUTES),
        Meeting.status.in_((MeetingStatus.REQUESTED.value, MeetingStatus.CONFIRMED.value)),
        Meeting.start_at < until,
        Meeting.start_at > after - longest,
    )
    lunching = select(Meeting.mentor_id, Meeting.start_at, Meeting.minutes).where(*lunch)
    lunched = select(Meeting.asker_id, Meeting.start_at, Meeting.minutes).where(*lunch)
    if users is not None:
        hosts = hosts.where(HostedSession.host_id.in_(users))
        seated = seated.where(SessionSeat.user_id.in_(users))
        lunching = lunching.where(Meeting.mentor_id.in_(users))
        lunched = lunched.where(Meeting.asker_id.in_(users))
    found: dict[str, list[tuple[datetime, datetime]]] = {}
    for query in (hosts, seated, lunching, lunched):
        for user_id, start, minutes in session.execute(query):
            end = start + timedelta(minutes=minutes or 0)
            if end > after:
                found.setdefault(user_id, []).append((start, end))
    for intervals in found.values():
        intervals.sort()
    return found


def meeting_link_of(session: Session, user_id: str) -> str | None:
    """A mentor's own meeting link from their profile (validated when saved), or None."""
    return session.scalar(select(MentorProfile.meeting_link).where(MentorProfile.user_id == user_id))


def open_for(
    session: Session,
    user_id: str,
    *,
    topics: Sequence[str],
    office_id: int | None,
    now: datetime,
    limit: int = 5,
) -> list[HostedSession]:
    """Open sessions still to join, with a seat left, on one of ``topics`` or at ``office_id``, that the
    person neither hosts nor is in (waiting included), soonest first."""
    matches: list[ColumnElement[bool]] = [_on_topics(topics, now=now)] if topics else []
    if office_id is not None:
        matches.append(HostedSession.office_id == office_id)
    if not matches:
        return []
    theirs = select(SessionSeat.session_id).where(
        SessionSeat.user_id == user_id, SessionSeat.status.in_((TAKEN, OFFERED, WAITLISTED))
    )
    query = select(HostedSession).where(
        HostedSession.status == OPEN,
        HostedSession.start_at > now,
        HostedSession.gathered_at.is_(None),
        HostedSession.taken < HostedSession.seats,
        HostedSession.host_id != user_id,
        HostedSession.id.not_in(theirs),
        or_(*matches),
    )
    return list(session.scalars(query.order_by(HostedSession.start_at, HostedSession.id).limit(limit)))


RECENT_ASKS = 5


def topics_of_person(session: Session, user_id: str) -> list[str]:
    """A person's topics, for what the Home suggests: those they mentor on, then those of their last asks."""
    topics = [t for t in session.scalars(select(MentorTopic.topic).where(MentorTopic.user_id == user_id))]
    recent = select(Ask.topics).where(Ask.asker_id == user_id).order_by(Ask.created_at.desc(), Ask.id.desc())
    for asked in session.scalars(recent.limit(RECENT_ASKS)):
        topics.extend((asked or {}).get("topics", []))
    return list(dict.fromkeys(topics))
