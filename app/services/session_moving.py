"""The host moves a session: refused over one of their 1:1s or as a no-op, its calendar revision goes
up, and everyone with a seat or waiting is told in their own zone (split from ``hosting``)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from app.db import session_queries as sq
from app.db.models import HostedSession
from app.domain.errors import Conflict, InvalidInput
from app.services import outbox
from app.services.notices import SessionMoved
from app.services.people import Person
from app.services.session_checks import movable, no_conversation_then
from app.services.session_notices import about_session


def move_within(
    session: Session, person: Person, session_id: int, start: datetime, *, now: datetime, default_tz: str
) -> HostedSession:
    """Move in the caller's transaction; ``start`` was validated (aware, in range) by the caller."""
    row = movable(session, person.user_id, session_id, now=now)
    if row.start_at == start:
        raise InvalidInput(f"“{row.title}” is already at that time.")
    was = row.start_at
    no_conversation_then(session, person, start, start + timedelta(minutes=row.minutes))
    if not sq.move(session, session_id, start=start, sequence=row.sequence, now=now):
        raise Conflict(f"“{row.title}” changed meanwhile. Look at it again and retry.")
    session.refresh(row)
    for status in (sq.TAKEN, sq.OFFERED, sq.WAITLISTED):
        for seat in sq.seats_by_status(session, session_id, status):
            notice = about_session(
                SessionMoved,
                session,
                row,
                seat.user_id,
                key=f"session:{session_id}:moved:{row.sequence}:{seat.user_id}",
                now=now,
                default_tz=default_tz,
                on_calendar=status == sq.TAKEN,
            )
            outbox.enqueue(session, replace(notice, was=was), now=now)
    return row
