"""The facts a session's notices carry about it, in one place: its title and time, and for the calendar
its length, where it is, its description and its revision (``sequence``)."""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar

from sqlalchemy.orm import Session

from app.db import queries
from app.db import session_queries as sq
from app.db.models import HostedSession
from app.domain.formats import Where
from app.services.notices.sessions import AboutASession

N = TypeVar("N", bound=AboutASession)


def where_words(row: HostedSession, office: str | None) -> str:
    """Where a session is, in words: "online: https://…", "online, right here …", "Berlin, room 3"."""
    if row.where == Where.ONLINE.value:
        return f"online: {row.link}" if row.link else "online, right here (start a huddle)"
    return ", ".join(p for p in (office, row.place) if p) or "in person"


def about_session(
    kind: type[N],
    session: Session,
    row: HostedSession,
    user_id: str,
    *,
    key: str,
    now: datetime,
    default_tz: str,
    on_calendar: bool,
    sequence: int | None = None,
) -> N:
    """A notice of ``kind`` to ``user_id`` about ``row``, as it stands in this transaction."""
    return kind(
        key=key,
        to=user_id,
        session_id=row.id,
        host_id=row.host_id,
        title=row.title,
        start=row.start_at,
        tz=queries.member_tz(session, user_id, default_tz),
        minutes=row.minutes,
        where=where_words(row, sq.office_name(session, row.office_id)),
        about=row.description,
        sequence=row.sequence if sequence is None else sequence,
        at=now,
        on_calendar=on_calendar,
    )
