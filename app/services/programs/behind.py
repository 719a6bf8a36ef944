"""A pair behind schedule: a proposed session not held in its window. The pair gets one nudge (at its
first missed session, never again); their coach is told at the second (names and counts only: coaches
never see notes or ratings).

Session ``k``'s window ends when session ``k + 1`` comes due (cadence.due_at), stretched to the end of
the latest time the bot itself offered for it, so a mentee who picked the last offered time is never
"behind". At that end the session is missed when nobody agreed a time (proposed or picked), when its
time lies past the window's end (moved late), or when one of the two said it didn't happen and nobody
said it did (judged again on later ticks, since answers may come after the window). A skipped session
is not missed: the two chose it. Numbers passed over while the bot was down have no row and are not
judged (see cadence.py). Each session is judged missed once (claimed by ``missed_at``); one whose
window ended more than ``JUDGED_FOR`` ago is left as it is, so old waves cost nothing each tick."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.db.models import (
    Program,
    ProgramEnding,
    ProgramPair,
    ProgramSession,
    ProgramSessionAnswer,
    ProgramWave,
)
from app.services import outbox
from app.services.notices import CoachBehind, PairBehind
from app.services.programs import cadence
from app.services.programs.cadence import CONFIRMED, SKIPPED

COACH_AFTER = 2  # missed sessions before the coach is told
JUDGED_FOR = timedelta(weeks=8)  # after the window's end, a late "it didn't happen" still counts
# A window ends at most 8 weeks (the longest cadence) plus the offered stretch after its proposal.
LOOKBACK = timedelta(weeks=8) + timedelta(days=30) + JUDGED_FOR


def window_end(session: Session, row: ProgramSession, pair: ProgramPair, program: Program) -> datetime:
    end = cadence.due_at(session, pair, row.number + 1)
    offered = [datetime.fromisoformat(s) for s in row.slots or []]
    if offered:
        end = max(end, max(offered) + timedelta(minutes=program.minutes))
    return end


def _answers(session: Session, ids: list[int]) -> dict[int, set[bool]]:
    """What each of these sessions' people said: did it happen (one query for all)."""
    said: dict[int, set[bool]] = {}
    rows = session.execute(
        select(ProgramSessionAnswer.session_id, ProgramSessionAnswer.happened).where(
            ProgramSessionAnswer.session_id.in_(ids), ProgramSessionAnswer.happened.is_not(None)
        )
    )
    for session_id, happened in rows:
        said.setdefault(session_id, set()).add(bool(happened))
    return said


def missed(row: ProgramSession, end: datetime, said: set[bool]) -> bool:
    if row.status != CONFIRMED or row.start is None:
        return True
    return row.start >= end or (False in said and True not in said)


def judge_due(session: Session, now: datetime) -> int:
    """Mark each session of a live pair missed once its window ended unheld; nudge and tell coaches."""
    ended = select(ProgramEnding.pair_id)
    rows = session.execute(
        select(ProgramSession, ProgramPair, Program)
        .join(ProgramPair, ProgramPair.id == ProgramSession.pair_id)
        .join(ProgramWave, ProgramWave.id == ProgramPair.wave_id)
        .join(Program, Program.id == ProgramWave.program_id)
        .where(
            ProgramSession.missed_at.is_(None),
            ProgramSession.status != SKIPPED,
            ProgramSession.proposed_at >= now - LOOKBACK,
            ProgramPair.id.not_in(ended),
        )
        .order_by(ProgramSession.pair_id, ProgramSession.number)
    ).all()
    ends = {row.id: window_end(session, row, pair, program) for row, pair, program in rows}
    due = [
        (row, pair, program) for row, pair, program in rows if ends[row.id] <= now < ends[row.id] + JUDGED_FOR
    ]
    said = _answers(session, [row.id for row, _, _ in due])
    marked = 0
    for row, pair, program in due:
        if not missed(row, ends[row.id], said.get(row.id, set())):
            continue
        claimed = session.execute(
            update(ProgramSession)
            .where(ProgramSession.id == row.id, ProgramSession.missed_at.is_(None))
            .values(missed_at=now)
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            continue
        marked += 1
        _tell(session, row, pair, program, now)
    return marked


def _tell(session: Session, row: ProgramSession, pair: ProgramPair, program: Program, now: datetime) -> None:
    count = session.scalar(
        select(func.count())
        .select_from(ProgramSession)
        .where(ProgramSession.pair_id == pair.id, ProgramSession.missed_at.is_not(None))
    )
    if count == 1:  # the pair's one nudge
        proposed = session.scalar(
            select(func.count())
            .select_from(ProgramSession)
            .where(ProgramSession.pair_id == pair.id, ProgramSession.number > row.number)
        )
        next_at = None if proposed else cadence.next_due(session, pair, program, row.number)
        nudge = PairBehind(
            key=f"program-pair:{pair.id}:behind",
            program=program.name,
            mentor_id=pair.mentor_id,
            mentee_id=pair.mentee_id,
            number=row.number,
            next_at=next_at,
        )
        outbox.enqueue(session, nudge, now=now)
    if count == COACH_AFTER and pair.coach_id:
        told = CoachBehind(
            key=f"program-pair:{pair.id}:behind-coach",
            to=pair.coach_id,
            program=program.name,
            mentor_id=pair.mentor_id,
            mentee_id=pair.mentee_id,
            missed=COACH_AFTER,
        )
        outbox.enqueue(session, told, now=now)
