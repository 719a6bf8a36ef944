"""The mentor's agenda: two days before a booked session the mentor is asked (once, claimed by
``agenda_asked_at``) to set it in a short form; the mentee gets it in a DM and the session's message
shows it. It can be changed until the session starts; saving the same words again changes nothing, and
a click or a form that comes back after the start is refused kindly."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.db.models import Program, ProgramEnding, ProgramPair, ProgramSession
from app.domain.errors import Conflict, InvalidInput
from app.services import outbox
from app.services.notices import AgendaAsked, AgendaShared, SessionAgendaSet
from app.services.programs import cadence
from app.services.programs.cadence import CONFIRMED

ASK_BEFORE = timedelta(days=2)
MAX_AGENDA = 1000


@dataclass(frozen=True, slots=True)
class AgendaForm:
    session_id: int
    program: str
    number: int
    mentee_id: str
    agenda: str  # as set so far ("" when not yet)


def ask_due(session: Session, now: datetime) -> int:
    """Ask the mentor of each session booked to start within two days, once per session."""
    ended = select(ProgramEnding.pair_id)
    rows = list(
        session.scalars(
            select(ProgramSession).where(
                ProgramSession.status == CONFIRMED,
                ProgramSession.agenda_asked_at.is_(None),
                ProgramSession.agenda.is_(None),
                ProgramSession.start <= now + ASK_BEFORE,
                ProgramSession.start > now,
                ProgramSession.pair_id.not_in(ended),
            )
        )
    )
    asked = 0
    for row in rows:
        claimed = session.execute(
            update(ProgramSession)
            .where(ProgramSession.id == row.id, ProgramSession.agenda_asked_at.is_(None))
            .values(agenda_asked_at=now)
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            continue
        pair, program = cadence.context(session, row.pair_id)
        assert row.start is not None
        notice = AgendaAsked(
            key=f"program-session:{row.id}:agenda-asked",
            to=pair.mentor_id,
            session_id=row.id,
            program=program.name,
            number=row.number,
            start=row.start,
            tz=cadence.hours(session, pair.mentor_id).tz,
            mentee_id=pair.mentee_id,
        )
        outbox.enqueue(session, notice, now=now)
        asked += 1
    return asked


def _settable(
    session: Session, session_id: int, user_id: str, now: datetime
) -> tuple[ProgramSession, ProgramPair, Program]:
    row, pair, program = cadence.session_of(session, session_id)  # refuses ended pairs, skipped sessions
    if user_id != pair.mentor_id:
        raise InvalidInput(f"<@{pair.mentor_id}> (the mentor) sets the agenda of this session.")
    if row.status != CONFIRMED or row.start is None:
        raise InvalidInput("This session isn't booked yet: set its agenda once it has a time.")
    if row.start <= now:
        raise Conflict(f"Session {row.number} has already started: its agenda can't change now.")
    return row, pair, program


def agenda_form(session: Session, session_id: int, user_id: str, *, now: datetime) -> AgendaForm:
    row, pair, program = _settable(session, session_id, user_id, now)
    return AgendaForm(row.id, program.name, row.number, pair.mentee_id, row.agenda or "")


def set_agenda(session: Session, session_id: int, user_id: str, text: str, *, now: datetime) -> bool:
    """Keep the agenda and show it to the mentee; False when it is what was already set."""
    row, pair, program = _settable(session, session_id, user_id, now)
    text = text.strip()
    if not text:
        raise InvalidInput("Write a line or two: what you'd like to cover.")
    if len(text) > MAX_AGENDA:
        raise InvalidInput(f"Keep the agenda under {MAX_AGENDA} characters.")
    if text == (row.agenda or ""):
        return False
    saved = session.execute(
        update(ProgramSession)
        .where(ProgramSession.id == row.id, ProgramSession.agenda_version == row.agenda_version)
        .values(agenda=text, agenda_version=row.agenda_version + 1)
        .execution_options(synchronize_session=False)
    )
    if saved.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict("The agenda was changed a moment ago: close this and open it again.")
    session.refresh(row)
    assert row.start is not None
    shared = AgendaShared(
        key=f"program-session:{row.id}:agenda:{row.agenda_version}",
        to=pair.mentee_id,
        session_id=row.id,
        program=program.name,
        number=row.number,
        start=row.start,
        tz=cadence.hours(session, pair.mentee_id).tz,
        mentor_id=pair.mentor_id,
        agenda=text,
        version=row.agenda_version,
    )
    outbox.enqueue(session, shared, now=now)
    # The session's message is the last one posting its time: the booking, or the latest move.
    message = (
        f"program-session:{row.id}:moved:{row.moves}" if row.moves else f"program-session:{row.id}:booked"
    )
    shown = SessionAgendaSet(
        key=f"program-session:{row.id}:agenda-shown:{row.agenda_version}",
        update_of=message,
        start=row.start,
        at=now,
        agenda=text,
        moves=row.moves,
        moved_by=row.moved_by or "",
        **cadence.pair_fields(session, row, pair, program),
    )
    outbox.enqueue(session, shown, now=now)
    return True
