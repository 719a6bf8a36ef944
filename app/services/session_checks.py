"""The checks a hosted session's use cases share: found, joinable, movable, clear of the person's 1:1s,
and what follows `/mentor sessions` as a filter. Each refusal is a DomainError with words for the person."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from app.db import office_queries
from app.db import session_queries as sq
from app.db.models import HostedSession
from app.domain.errors import Conflict, InvalidInput, NotAllowed, NotFound
from app.domain.formats import PlanError, Where
from app.domain.slots import load_zone
from app.services.people import Person


def found(session: Session, session_id: int) -> HostedSession:
    row = sq.session_by_id(session, session_id)
    if row is None:
        raise NotFound("That session no longer exists.")
    return row


def no_conversation_then(session: Session, person: Person, start: datetime, end: datetime) -> None:
    """A 1:1 booked first keeps its time: hosting (or moving a session) over it is refused."""
    clash = sq.clashing_conversation(session, person.user_id, start, end)
    if clash is not None:
        local = clash.astimezone(load_zone(person.tz))
        raise PlanError(
            f"You have a 1:1 conversation at {local:%H:%M} on {local:%a} {local.day} {local:%b} "
            "(your time), within this session. Pick another time, or cancel it first in `/mentor list`.",
            field="start",
        )


def movable(session: Session, user_id: str, session_id: int, *, now: datetime) -> HostedSession:
    row = found(session, session_id)
    if row.host_id != user_id:
        raise NotAllowed("Only the host can move a session.")
    if row.status == sq.CANCELLED:
        raise Conflict(f"“{row.title}” is cancelled: there's nothing to move.")
    if row.start_at <= now:
        raise Conflict(f"“{row.title}” has already started.")
    return row


def joinable(session: Session, session_id: int, *, now: datetime) -> HostedSession:
    row = found(session, session_id)
    if row.status == sq.CANCELLED:
        raise Conflict(f"The host cancelled “{row.title}”.")
    if row.start_at <= now:
        raise Conflict(f"“{row.title}” has already started: there's no joining it now.")
    if row.gathered_at is not None:
        raise Conflict(f"Joining “{row.title}” closed when its group DM opened, an hour before the start.")
    return row


def place_filter(session: Session, place: str | None) -> tuple[str | None, int | None]:
    """("online" | "in_person" | None, an office's id | None) for what followed ``/mentor sessions``."""
    if not place:
        return None, None
    words = " ".join(place.split()).lower()
    if words == "online":
        return Where.ONLINE.value, None
    if words in ("in person", "in-person", "inperson"):
        return Where.IN_PERSON.value, None
    for office in office_queries.all_offices(session):
        if office.name.lower() == words:
            return None, office.id
    raise InvalidInput(
        f"There is no office called {' '.join(place.split())[:60]}. Say `online`, `in person` or an office "
        "from `/mentor offices`."
    )
