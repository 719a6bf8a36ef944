"""A hosted session as a person sees it (their part in it, seats left), for the lists, the Home and
the answers to a click (split from ``hosting``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from app.db import session_queries as sq
from app.db.models import HostedSession
from app.domain.formats import RULES, Format, Where


@dataclass(frozen=True, slots=True)
class SessionView:
    """A session as a person sees it; ``mine`` is their part in it: "host", "taken", "waitlisted" or None."""

    session_id: int
    host_id: str
    format: Format
    title: str
    topics: tuple[str, ...]
    start: datetime
    length: timedelta
    seats: int
    taken: int
    waitlisted: int
    where: Where
    link: str | None
    office: str | None
    place: str | None
    description: str
    cancelled: bool
    mine: str | None

    @property
    def seats_left(self) -> int:
        return max(0, self.seats - self.taken)

    @property
    def label(self) -> str:
        return RULES[self.format].label


@dataclass(frozen=True, slots=True)
class JoinResult:
    view: SessionView
    seated: bool  # False: it was full, and they are on the waitlist
    position: int = 0  # on the waitlist, from 1


def views(session: Session, rows: Sequence[HostedSession], viewer: str) -> list[SessionView]:
    return views_of(sq.listed(session, rows, viewer), viewer)


def views_of(page: Sequence[sq.Listed], viewer: str) -> list[SessionView]:
    return [_view(item, viewer) for item in page]


def _view(item: sq.Listed, viewer: str) -> SessionView:
    r = item.row
    return SessionView(
        session_id=r.id,
        host_id=r.host_id,
        format=Format(r.format),
        title=r.title,
        topics=sq.topics_of(r),
        start=r.start_at,
        length=timedelta(minutes=r.minutes),
        seats=r.seats,
        taken=r.taken,
        waitlisted=item.waitlisted,
        where=Where(r.where),
        link=r.link,
        office=item.office if r.office_id is not None else None,
        place=r.place,
        description=r.description,
        cancelled=r.status == sq.CANCELLED,
        mine="host" if r.host_id == viewer else _part(item.status),
    )


def _part(status: str | None) -> str | None:
    if status == sq.OFFERED:
        return sq.WAITLISTED  # still waiting, with a seat held for them
    return status if status in (sq.TAKEN, sq.WAITLISTED) else None
