"""Someone who left the workspace mid-wave (Slack answered user_not_found, account_inactive, … when a
notice was delivered): each live pairing of theirs ends (marked ``left_workspace``, nobody's click),
their partner is told kindly, the coach too, and the admin is offered re-matches for the one still here
(the no-blame ending's offer). Whoever left is never offered as anyone's re-match.

Slack's ``user_change`` event would say so sooner, but subscribing to it sends the bot every profile
and status change of everyone in the workspace; a pair hears from the bot every few weeks anyway, so
the next delivery finds out. Safe to call again for the same person: ended pairs are skipped."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.db.models import Program, ProgramEnding, ProgramPair, ProgramWave
from app.services import outbox
from app.services.notices import PairEnded, PairEndedAdmin, PartnerLeft
from app.services.programs.cadence import due_at
from app.services.programs.endings import live_pair, rematch_options


def pairs_of(session: Session, user_ids: Iterable[str], *, now: datetime) -> list[int]:
    """The live, published pairs any of ``user_ids`` is in, whose wave is still running (after the
    last session's window a pairing is over anyway: nobody is told it ended)."""
    ids = sorted(set(user_ids))
    ended = select(ProgramEnding.pair_id)
    pairs = list(
        session.execute(
            select(ProgramPair, Program)
            .join(ProgramWave, ProgramWave.id == ProgramPair.wave_id)
            .join(Program, Program.id == ProgramWave.program_id)
            .where(
                ProgramWave.published_at.is_not(None),
                ProgramPair.id.not_in(ended),
                or_(ProgramPair.mentor_id.in_(ids), ProgramPair.mentee_id.in_(ids)),
            )
        ).all()
    )
    return [pair.id for pair, program in pairs if now < due_at(session, pair, program.sessions + 1)]


def end_for_leaving(session: Session, pair_id: int, gone: set[str], *, now: datetime) -> bool:
    """End one pair whose person (of ``gone``) left; False when it had ended already."""
    found = live_pair(session, pair_id)
    if found is None:
        return False
    pair, wave, program = found
    left = pair.mentor_id if pair.mentor_id in gone else pair.mentee_id
    other = pair.mentee_id if left == pair.mentor_id else pair.mentor_id
    session.add(ProgramEnding(pair_id=pair.id, ended_by=left, reason="", created_at=now, left_workspace=True))
    session.flush()  # a second call for the same pair fails here (the primary key)
    base = f"program:{wave.id}:left:{pair.id}"
    if other not in gone:
        told = PartnerLeft(key=f"{base}:partner", to=other, program=program.name, gone_id=left)
        outbox.enqueue(session, told, now=now)
    if pair.coach_id:
        coach = PairEnded(
            key=f"{base}:coach",
            to=pair.coach_id,
            program=program.name,
            mentor_id=pair.mentor_id,
            mentee_id=pair.mentee_id,
            coach=True,
        )
        outbox.enqueue(session, coach, now=now)
    options = () if other in gone else tuple(rematch_options(session, program, wave, other))
    admin = PairEndedAdmin(
        key=f"{base}:admin",
        to=program.created_by,
        pair_id=pair.id,
        ended_by=left,
        reason="",
        options=options,
        program=program.name,
        mentor_id=pair.mentor_id,
        mentee_id=pair.mentee_id,
        left=True,
    )
    outbox.enqueue(session, admin, now=now)
    return True
