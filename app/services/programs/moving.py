"""Moving or skipping a booked program session, by either of the two.

Move: the one who moves is offered fresh times inside both working days (the proposal's machinery,
from a day ahead so the other has notice) and picks one; the time picked is checked again when the
form comes back (still ahead, still inside both days, nobody moved it meanwhile). Both are told in
their own zones with a new calendar file whose SEQUENCE is one higher, the day-before reminder is due
again, and an agenda already set stays. Skip: the session is off (a cancelling file when it was
booked); nothing else moves. Either way the next session comes due on the program's cadence
(cadence.due_at), not from the moved date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.orm import Session

from app.db.models import ProgramSession
from app.domain.errors import Conflict, InvalidInput
from app.domain.program_slots import OFFERED, session_slots
from app.services import outbox
from app.services.notices import ProgramSessionMoved, SessionSkipped
from app.services.programs import cadence
from app.services.programs.cadence import CONFIRMED, PICKED, PROPOSED, SKIPPED

MOVE_LEAD = timedelta(days=1)  # the first time offered for a move: the other gets a day's notice
TOO_CLOSE = timedelta(hours=1)  # a time this close (or past) by the time the form comes back is refused


@dataclass(frozen=True, slots=True)
class MoveForm:
    session_id: int
    program: str
    number: int
    moves: int  # as the form was opened: a move meanwhile makes the form stale
    start: datetime
    partner_id: str
    partner_tz: str
    slots: tuple[datetime, ...]


@dataclass(frozen=True, slots=True)
class Skipped:
    number: int
    next_at: datetime | None


def _partner(pair_mentor: str, pair_mentee: str, user_id: str) -> str:
    if user_id not in (pair_mentor, pair_mentee):
        raise InvalidInput("Only the two people of a session can move or skip it.")
    return pair_mentee if user_id == pair_mentor else pair_mentor


def move_form(session: Session, session_id: int, user_id: str, *, now: datetime) -> MoveForm:
    row, pair, program = cadence.session_of(session, session_id)
    partner = _partner(pair.mentor_id, pair.mentee_id, user_id)
    if row.status != CONFIRMED or row.start is None:
        raise InvalidInput("This session isn't booked yet: pick one of the times offered instead.")
    if row.start <= now:
        raise Conflict(f"Session {row.number} has already started: it can't be moved now.")
    mentor, mentee = cadence.hours(session, pair.mentor_id), cadence.hours(session, pair.mentee_id)
    length = timedelta(minutes=program.minutes)
    begin = now + MOVE_LEAD
    fresh: tuple[datetime, ...] = ()
    for span in (cadence.SPAN, cadence.WIDER):  # the week ahead first, as a proposal does
        slots = session_slots(mentor, mentee, length, begin, begin + span, count=OFFERED + 1)
        fresh = tuple(s for s in slots if s != row.start)[:OFFERED]
        if fresh:
            break
    if not fresh:
        raise Conflict("No other time fits both your working days in the next three weeks.")
    return MoveForm(
        row.id,
        program.name,
        row.number,
        row.moves,
        row.start,
        partner,
        cadence.hours(session, partner).tz,
        fresh,
    )


def move(
    session: Session, session_id: int, user_id: str, start: datetime, moves_seen: int, *, now: datetime
) -> datetime:
    row, pair, program = cadence.session_of(session, session_id)
    _partner(pair.mentor_id, pair.mentee_id, user_id)
    if row.status != CONFIRMED or row.start is None:
        raise InvalidInput("This session isn't booked yet: pick one of the times offered instead.")
    if row.start <= now:
        raise Conflict(f"Session {row.number} has already started: it can't be moved now.")
    if start < now + TOO_CLOSE:
        raise InvalidInput("That time has passed (or is about to): close this and click Move again.")
    length = timedelta(minutes=program.minutes)
    mentor, mentee = cadence.hours(session, pair.mentor_id), cadence.hours(session, pair.mentee_id)
    if session_slots(mentor, mentee, length, start, start + length, count=1) != [start]:
        raise InvalidInput("That time is no longer inside both your working days: click Move again.")
    if start == row.start:
        raise InvalidInput("That is the time it already has: pick another.")
    moved = session.execute(
        update(ProgramSession)
        .where(ProgramSession.id == row.id, ProgramSession.moves == moves_seen)
        .values(start=start, moves=moves_seen + 1, moved_by=user_id, reminded_at=None)
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict("This session was moved a moment ago: close this and look at its latest time.")
    session.refresh(row)
    notice = ProgramSessionMoved(
        key=f"program-session:{row.id}:moved:{row.moves}",
        start=start,
        at=now,
        agenda=row.agenda or "",
        moves=row.moves,
        moved_by=user_id,
        **cadence.pair_fields(session, row, pair, program),
    )
    outbox.enqueue(session, notice, now=now)
    return start


def skip(session: Session, session_id: int, user_id: str, *, now: datetime) -> Skipped:
    row, pair, program = cadence.session_of(session, session_id)  # refuses one skipped already
    _partner(pair.mentor_id, pair.mentee_id, user_id)
    if row.start is not None and row.status == CONFIRMED and row.start <= now:
        raise Conflict(f"Session {row.number} has already started: there's nothing to skip.")
    booked = row.start if row.status == CONFIRMED else None
    done = session.execute(
        update(ProgramSession)
        .where(ProgramSession.id == row.id, ProgramSession.status.in_([PROPOSED, PICKED, CONFIRMED]))
        .values(status=SKIPPED, skipped_by=user_id, skipped_at=now)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict("This session was skipped a moment ago: nothing changed.")
    next_at = cadence.next_due(session, pair, program, row.number)
    notice = SessionSkipped(
        key=f"program-session:{row.id}:skipped",
        skipped_by=user_id,
        next_at=next_at,
        start=booked,
        moves=row.moves,
        at=now,
        **cadence.pair_fields(session, row, pair, program),
    )
    outbox.enqueue(session, notice, now=now)
    return Skipped(row.number, next_at)
