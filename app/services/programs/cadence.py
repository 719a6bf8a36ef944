"""Sessions on the program's cadence: every N weeks from the pair's start, the next session is proposed
(three times inside both people's working days, at the program's session length), the mentee picks,
the mentor confirms (calendar links and a file), and a reminder goes the day before.

A proposal is a row keyed by (pair, session number), inserted in its own transaction: a restart or a
second replica that computes the same due session fails on the key and proposes nothing.

After downtime only the latest due session is proposed (once), never a backlog of them. This is a
decision, not an accident: the sessions whose turn passed while the bot was down were never offered,
so proposing them now would flood the pair with stale proposals for dates already gone, and a pair
catching up would hold two sessions in one week. Their numbers stay without a row: they are not
counted as missed (behind.py judges only sessions that were proposed), and completion counts the
sessions held, so the pair can still reach the program's threshold with the sessions left.

Session ``number``'s window is ``[due_at(number), due_at(number + 1))``: anchored to the program's
start (or the pair's re-match), never to a moved or skipped date, so the next one comes on time."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.db.models import Member, Program, ProgramEnding, ProgramPair, ProgramSession, ProgramWave
from app.domain.errors import Conflict, InvalidInput, NotFound
from app.domain.model import DEFAULT_WINDOWS, WorkingHours
from app.domain.program_slots import session_slots
from app.services import outbox
from app.services.members import working_hours
from app.services.notices import SessionBooked, SessionPicked, SessionProposed

LEAD = timedelta(days=2)  # the first time offered is at least this far after the proposal
SPAN = timedelta(days=7)  # the times offered lie within this stretch
WIDER = timedelta(days=21)  # searched when the first week has no time in both days
REMIND_BEFORE = timedelta(days=1)
PROPOSED, PICKED, CONFIRMED, SKIPPED = "proposed", "picked", "confirmed", "skipped"


def _anchor(program: Program, wave: ProgramWave, pair: ProgramPair) -> datetime:
    """When the pair's first session is due: the program's start, or later when the pair was made later."""
    start = datetime.combine(program.start_date, time(), tzinfo=UTC)
    made = pair.created_at or wave.published_at or start
    return max(start, made)


def period_of(program: Program) -> timedelta:
    return timedelta(weeks=max(program.every_weeks, 1))


def due_at(session: Session, pair: ProgramPair, number: int) -> datetime:
    """When session ``number`` of the pair comes due (is proposed): the program's cadence from the
    pair's anchor, whatever happened to earlier sessions."""
    wave = session.get(ProgramWave, pair.wave_id)
    assert wave is not None
    program = session.get(Program, wave.program_id)
    assert program is not None
    return _anchor(program, wave, pair) + period_of(program) * (number - 1)


def next_due(session: Session, pair: ProgramPair, program: Program, number: int) -> datetime | None:
    """When the session after ``number`` is proposed; None after the program's last."""
    return None if number >= program.sessions else due_at(session, pair, number + 1)


def due_sessions(session: Session, now: datetime) -> list[tuple[int, int]]:
    """(pair id, session number) of the latest session due for each live pair, not yet proposed."""
    ended = select(ProgramEnding.pair_id)
    rows = session.execute(
        select(ProgramPair, ProgramWave, Program)
        .join(ProgramWave, ProgramWave.id == ProgramPair.wave_id)
        .join(Program, Program.id == ProgramWave.program_id)
        .where(ProgramWave.published_at.is_not(None), ProgramPair.id.not_in(ended))
    ).all()
    latest = dict(
        session.execute(
            select(ProgramSession.pair_id, ProgramSession.number).order_by(ProgramSession.number)
        ).all()
    )
    due = []
    for pair, wave, program in rows:
        anchor = _anchor(program, wave, pair)
        if now < anchor:
            continue
        # Only the latest due number: see the module's note on downtime.
        number = min((now - anchor) // period_of(program) + 1, program.sessions)
        if latest.get(pair.id, 0) < number:
            due.append((pair.id, number))
    return due


def hours(session: Session, user_id: str) -> WorkingHours:
    member = session.get(Member, user_id)
    return working_hours(member) if member is not None else WorkingHours(DEFAULT_WINDOWS, "UTC")


def context(session: Session, pair_id: int) -> tuple[ProgramPair, Program]:
    pair = session.get(ProgramPair, pair_id)
    if pair is None:
        raise NotFound("That pairing no longer exists.")
    wave = session.get(ProgramWave, pair.wave_id)
    assert wave is not None
    program = session.get(Program, wave.program_id)
    assert program is not None
    return pair, program


def pair_fields(session: Session, row: ProgramSession, pair: ProgramPair, program: Program) -> dict:
    return dict(
        session_id=row.id,
        program=program.name,
        number=row.number,
        of=program.sessions,
        minutes=program.minutes,
        mentor_id=pair.mentor_id,
        mentee_id=pair.mentee_id,
        mentor_tz=hours(session, pair.mentor_id).tz,
        mentee_tz=hours(session, pair.mentee_id).tz,
    )


def propose(session: Session, pair_id: int, number: int, *, now: datetime) -> None:
    """Claim session ``number`` of the pair and propose its times (the flush fails on a second claim)."""
    pair, program = context(session, pair_id)
    mentor, mentee = hours(session, pair.mentor_id), hours(session, pair.mentee_id)
    length = timedelta(minutes=program.minutes)
    slots = session_slots(mentor, mentee, length, now + LEAD, now + LEAD + SPAN)
    if not slots:
        slots = session_slots(mentor, mentee, length, now + LEAD, now + LEAD + WIDER)
    row = ProgramSession(
        pair_id=pair.id,
        number=number,
        status=PROPOSED,
        slots=[s.isoformat() for s in slots],
        proposed_at=now,
    )
    session.add(row)
    session.flush()
    notice = SessionProposed(
        key=f"program-session:{pair.id}:{number}:proposed",
        slots=tuple(slots),
        **pair_fields(session, row, pair, program),
    )
    outbox.enqueue(session, notice, now=now)


def session_of(session: Session, session_id: int) -> tuple[ProgramSession, ProgramPair, Program]:
    row = session.get(ProgramSession, session_id)
    if row is None:
        raise NotFound("That session no longer exists.")
    pair, program = context(session, row.pair_id)
    if session.get(ProgramEnding, pair.id) is not None:
        raise Conflict("This pairing has ended: its sessions are off.")
    if row.status == SKIPPED:
        raise Conflict(
            f"Session {row.number} was skipped by <@{row.skipped_by}>: nothing to do. "
            "The next one is proposed on time."
        )
    return row, pair, program


def pick(session: Session, session_id: int, index: int, user_id: str, *, now: datetime) -> datetime:
    """The mentee's pick among the times offered; the mentor is asked to confirm."""
    row, pair, program = session_of(session, session_id)
    if user_id != pair.mentee_id:
        raise InvalidInput(f"<@{pair.mentee_id}> picks the time of this session; the mentor confirms it.")
    if not 0 <= index < len(row.slots):
        raise InvalidInput("That time isn't one of those offered.")
    start = datetime.fromisoformat(row.slots[index])
    taken = session.execute(
        update(ProgramSession)
        .where(ProgramSession.id == row.id, ProgramSession.status == PROPOSED)
        .values(status=PICKED, start=start, picked_at=now)
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        session.refresh(row)
        chosen = row.start.isoformat() if row.start else "another time"
        raise Conflict(f"Another time was already picked for this session ({chosen} UTC): nothing changed.")
    notice = SessionPicked(
        key=f"program-session:{row.id}:picked",
        to=pair.mentor_id,
        session_id=row.id,
        program=program.name,
        number=row.number,
        start=start,
        minutes=program.minutes,
        mentee_id=pair.mentee_id,
        tz=hours(session, pair.mentor_id).tz,
    )
    outbox.enqueue(session, notice, now=now)
    return start


def confirm(session: Session, session_id: int, user_id: str, *, now: datetime) -> datetime:
    row, pair, program = session_of(session, session_id)
    if user_id != pair.mentor_id:
        raise InvalidInput(f"<@{pair.mentor_id}> confirms this session.")
    done = session.execute(
        update(ProgramSession)
        .where(ProgramSession.id == row.id, ProgramSession.status == PICKED)
        .values(status=CONFIRMED, confirmed_at=now)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        session.refresh(row)
        if row.status == CONFIRMED:
            raise Conflict("This session is already confirmed and on both calendars: nothing changed.")
        raise InvalidInput("No time has been picked for this session yet.")
    session.refresh(row)
    assert row.start is not None
    notice = SessionBooked(
        key=f"program-session:{row.id}:booked",
        start=row.start,
        at=now,
        **pair_fields(session, row, pair, program),
    )
    outbox.enqueue(session, notice, now=now)
    return row.start


def remind_due(session: Session, now: datetime) -> int:
    """The day-before reminder of each confirmed session, claimed once (``reminded_at``)."""
    ended = select(ProgramEnding.pair_id)
    rows = list(
        session.scalars(
            select(ProgramSession).where(
                ProgramSession.status == CONFIRMED,
                ProgramSession.reminded_at.is_(None),
                ProgramSession.start <= now + REMIND_BEFORE,
                ProgramSession.start > now,
                ProgramSession.pair_id.not_in(ended),
            )
        )
    )
    sent = 0
    for row in rows:
        claimed = session.execute(
            update(ProgramSession)
            .where(ProgramSession.id == row.id, ProgramSession.reminded_at.is_(None))
            .values(reminded_at=now)
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            continue
        pair, program = context(session, row.pair_id)
        assert row.start is not None
        notice = SessionBooked(
            key=f"program-session:{row.id}:reminder",
            start=row.start,
            at=now,
            reminder=True,
            agenda=row.agenda or "",
            moves=row.moves,
            **pair_fields(session, row, pair, program),
        )
        outbox.enqueue(session, notice, now=now)
        sent += 1
    return sent
