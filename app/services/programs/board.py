"""The board of sessions up to date (`/mentor program board <name>` and the App Home): by department
for everyone in the program's current wave, by pair only where both consented to be named at
application, every pair for an admin. Only the program's people (applicants of that wave, its pairs,
its coaches) and admins see it: consent was to be named to the other participants, nobody else."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import Program, ProgramApplication, ProgramPair, ProgramWave
from app.domain.errors import NotFound
from app.domain.program_board import DepartmentRow, PairProgress, by_department, ranked_pairs
from app.services.programs.common import coaches_of, program_named
from app.services.programs.progress import pairs_of, progress


@dataclass(frozen=True, slots=True)
class Board:
    program: str
    wave: int
    of: int  # the program's number of sessions
    departments: tuple[DepartmentRow, ...]
    pairs: tuple[PairProgress, ...]
    everyone: bool  # the admin's view: every pair, named or not
    hidden: int  # pairs not shown by name


def _live(session: Session, program: Program) -> ProgramWave:
    """The newest published wave (a new wave still gathering applications shows the last one)."""
    wave = session.scalars(
        select(ProgramWave)
        .where(ProgramWave.program_id == program.id, ProgramWave.published_at.is_not(None))
        .order_by(ProgramWave.number.desc())
    ).first()
    if wave is None:
        raise NotFound(f"“{program.name}” has no published pairs yet: its board starts with them.")
    return wave


def board_of(session: Session, program: Program, *, everyone: bool, now: datetime) -> Board:
    wave = _live(session, program)
    apps = {
        a.user_id: a
        for a in session.scalars(select(ProgramApplication).where(ProgramApplication.wave_id == wave.id))
    }
    rows = []
    for f in progress(session, program, wave, pairs_of(session, wave), now):
        if f.ended:
            continue
        mentor, mentee = apps.get(f.pair.mentor_id), apps.get(f.pair.mentee_id)
        rows.append(
            PairProgress(
                mentor_id=f.pair.mentor_id,
                mentee_id=f.pair.mentee_id,
                mentor_team=mentor.team if mentor else None,
                mentee_team=mentee.team if mentee else None,
                held=f.held,
                due=f.due,
                named=bool(mentor and mentor.name_shown and mentee and mentee.name_shown),
            )
        )
    shown = ranked_pairs(rows, everyone=everyone)
    return Board(
        program=program.name,
        wave=wave.number,
        of=program.sessions,
        departments=tuple(by_department(rows)),
        pairs=tuple(shown),
        everyone=everyone,
        hidden=len(rows) - len(shown),
    )


NOT_YOURS = "Only the people in a program (and admins) see its board."


def board(session: Session, name: str, user_id: str, *, everyone: bool, now: datetime) -> Board:
    if everyone:
        return board_of(session, program_named(session, name), everyone=True, now=now)
    # The same answer whether the program exists or not: its name is not confirmed to outsiders.
    try:
        program = program_named(session, name)
        wave = _live(session, program)
    except NotFound:
        raise NotFound(NOT_YOURS) from None
    if not _takes_part(session, program, wave, user_id):
        raise NotFound(NOT_YOURS)
    return board_of(session, program, everyone=False, now=now)


def _takes_part(session: Session, program: Program, wave: ProgramWave, user_id: str) -> bool:
    applied = session.scalar(
        select(ProgramApplication.id)
        .where(ProgramApplication.wave_id == wave.id, ProgramApplication.user_id == user_id)
        .limit(1)
    )
    paired = session.scalar(
        select(ProgramPair.id)
        .where(
            ProgramPair.wave_id == wave.id,
            (ProgramPair.mentor_id == user_id) | (ProgramPair.mentee_id == user_id),
        )
        .limit(1)
    )
    return applied is not None or paired is not None or user_id in coaches_of(session, program)


def boards_for(session: Session, user_id: str, *, everyone: bool, now: datetime) -> list[Board]:
    """For the Home: the boards of the programs ``user_id`` was paired in (every program's for an
    admin), each of its newest published wave."""
    query = select(ProgramWave.program_id).join(ProgramPair, ProgramPair.wave_id == ProgramWave.id)
    if not everyone:
        query = query.where((ProgramPair.mentor_id == user_id) | (ProgramPair.mentee_id == user_id))
    found = []
    for program_id in sorted(set(session.scalars(query.distinct()))):
        program = session.get(Program, program_id)
        if program is None:
            continue
        try:
            found.append(board_of(session, program, everyone=everyone, now=now))
        except NotFound:
            continue
    return found
