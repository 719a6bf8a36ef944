"""The host calls a session off: everyone with a seat or on the waitlist is told, and a seat's holder
gets the calendar's CANCEL (split from ``hosting``; one transaction, the caller's)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from app.db import session_queries as sq
from app.db.models import HostedSession
from app.domain.errors import Conflict, NotAllowed
from app.services import outbox
from app.services.notices import SessionCancelled
from app.services.session_checks import found
from app.services.session_notices import about_session


def cancel_within(
    session: Session, user_id: str, session_id: int, *, now: datetime, default_tz: str
) -> HostedSession:
    """Cancel in the caller's transaction (erasure calls it too)."""
    row = found(session, session_id)
    if row.host_id != user_id:
        raise NotAllowed("Only the host can cancel a session.")
    if row.status == sq.CANCELLED:
        raise Conflict(f"“{row.title}” is already cancelled.")
    if row.start_at <= now:
        raise Conflict(f"“{row.title}” has already started.")
    if not sq.cancel(session, session_id, now=now):
        raise Conflict(f"“{row.title}” is already cancelled.")
    for status in (sq.TAKEN, sq.OFFERED, sq.WAITLISTED):
        for seat in sq.seats_by_status(session, session_id, status):
            notice = about_session(
                SessionCancelled,
                session,
                row,
                seat.user_id,
                key=f"session:{session_id}:cancelled:{seat.user_id}",
                now=now,
                default_tz=default_tz,
                on_calendar=status == sq.TAKEN,  # a seat was on their calendar: take it off
                sequence=row.sequence + 1,
            )
            outbox.enqueue(session, notice, now=now)
    session.flush()
    session.refresh(row)
    return row
