"""After a session: both are asked (once, claimed by ``asked_at``) whether it happened and how it was
(1-5), and may leave a note only its author reads. Answering twice changes nothing."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.db.models import (
    Program,
    ProgramEnding,
    ProgramPair,
    ProgramSession,
    ProgramSessionAnswer,
    ProgramWave,
)
from app.domain.errors import Conflict, InvalidInput, NotFound
from app.services import outbox
from app.services.notices import ProgramCheckIn

CONFIRMED = "confirmed"
MAX_NOTE = 1000


def ask_due(session: Session, now: datetime) -> int:
    """Ask both people of each confirmed session that has ended; each session once."""
    ended = select(ProgramEnding.pair_id)
    rows = session.execute(
        select(ProgramSession, ProgramPair, Program)
        .join(ProgramPair, ProgramPair.id == ProgramSession.pair_id)
        .join(ProgramWave, ProgramWave.id == ProgramPair.wave_id)
        .join(Program, Program.id == ProgramWave.program_id)
        .where(
            ProgramSession.status == CONFIRMED,
            ProgramSession.asked_at.is_(None),
            ProgramSession.start <= now,
            ProgramPair.id.not_in(ended),
        )
    ).all()
    asked = 0
    for row, pair, program in rows:
        assert row.start is not None
        if row.start + timedelta(minutes=program.minutes) > now:
            continue
        claimed = session.execute(
            update(ProgramSession)
            .where(ProgramSession.id == row.id, ProgramSession.asked_at.is_(None))
            .values(asked_at=now)
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            continue
        for to, partner in ((pair.mentor_id, pair.mentee_id), (pair.mentee_id, pair.mentor_id)):
            notice = ProgramCheckIn(
                key=f"program-session:{row.id}:check-in:{to}",
                to=to,
                session_id=row.id,
                program=program.name,
                number=row.number,
                partner_id=partner,
            )
            outbox.enqueue(session, notice, now=now)
        asked += 1
    return asked


def _mine(session: Session, session_id: int, user_id: str) -> ProgramSession:
    row = session.get(ProgramSession, session_id)
    if row is None:
        raise NotFound("That session no longer exists.")
    pair = session.get(ProgramPair, row.pair_id)
    if pair is None or user_id not in (pair.mentor_id, pair.mentee_id):
        raise InvalidInput("Only the two people of a session answer for it.")
    if row.asked_at is None:
        raise InvalidInput("This session hasn't happened yet.")
    return row


def answer(
    session: Session, session_id: int, user_id: str, happened: bool, rating: int | None, *, now: datetime
) -> None:
    _mine(session, session_id, user_id)
    if rating is not None and not 1 <= rating <= 5:
        raise InvalidInput("A rating is 1 to 5.")
    if not happened:
        rating = None
    row = session.get(ProgramSessionAnswer, (session_id, user_id))
    if row is not None and row.happened is not None:
        raise Conflict("You've already answered for this session: thank you, nothing changed.")
    if row is None:
        session.add(
            ProgramSessionAnswer(
                session_id=session_id, user_id=user_id, happened=happened, rating=rating, answered_at=now
            )
        )
    else:
        row.happened, row.rating, row.answered_at = happened, rating, now
    session.flush()


def note(session: Session, session_id: int, user_id: str, text: str, *, now: datetime) -> None:
    """Keep (or replace) the author's private note; nobody else ever reads it."""
    _mine(session, session_id, user_id)
    text = text.strip()
    if len(text) > MAX_NOTE:
        raise InvalidInput(f"Keep the note under {MAX_NOTE} characters.")
    row = session.get(ProgramSessionAnswer, (session_id, user_id))
    if row is None:
        session.add(ProgramSessionAnswer(session_id=session_id, user_id=user_id, note=text, answered_at=now))
    else:
        row.note = text
    session.flush()
