"""Create a program (with its first wave), list programs with a figure per wave, start the next wave."""

from __future__ import annotations

import random
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import Program, ProgramCoach, ProgramWave
from app.domain.cohorts import ProgramKind
from app.domain.errors import Conflict, InvalidInput
from app.services.programs.common import (
    MAX_TEXT,
    ProgramSettings,
    ProgramView,
    clean_name,
    coaches_of,
    current_wave,
    program_named,
    wave_figures,
)


def validate(settings: ProgramSettings, *, today: date) -> ProgramSettings:
    name = clean_name(settings.name)
    if len(settings.purpose) > MAX_TEXT:
        raise InvalidInput(f"Keep the purpose under {MAX_TEXT} characters.")
    if not 0 <= settings.min_level_gap <= 4:
        raise InvalidInput("The minimum level gap is a whole number from 0 to 4.")
    if not 1 <= settings.sessions <= 52:
        raise InvalidInput("A program has 1 to 52 sessions.")
    if not 1 <= settings.every_weeks <= 12:
        raise InvalidInput("Sessions are every 1 to 12 weeks.")
    if settings.minutes not in (30, 60):
        raise InvalidInput("A session lasts 30 or 60 minutes.")
    if not 1 <= settings.capacity <= 10:
        raise InvalidInput("A mentor takes 1 to 10 mentees.")
    start = settings.start_date or today
    if start < today:
        raise InvalidInput("The start date is in the past: pick today or later.")
    return ProgramSettings(
        name=name,
        purpose=settings.purpose.strip(),
        kind=ProgramKind(settings.kind),
        min_level_gap=settings.min_level_gap,
        other_team=settings.other_team,
        sessions=settings.sessions,
        every_weeks=settings.every_weeks,
        minutes=settings.minutes,
        start_date=start,
        coaches=tuple(dict.fromkeys(settings.coaches)),
        capacity=settings.capacity,
    )


def create(session: Session, admin_id: str, settings: ProgramSettings, *, now: datetime) -> ProgramView:
    s = validate(settings, today=now.date())
    taken = {n.casefold() for n in session.scalars(select(Program.name))}
    if s.name.casefold() in taken:
        raise Conflict(f"There is already a program called “{s.name}”: pick another name.")
    assert s.start_date is not None
    row = Program(
        name=s.name,
        purpose=s.purpose,
        kind=s.kind.value,
        min_level_gap=s.min_level_gap,
        other_team=s.other_team,
        sessions=s.sessions,
        every_weeks=s.every_weeks,
        minutes=s.minutes,
        start_date=s.start_date,
        capacity=s.capacity,
        created_by=admin_id,
        created_at=now,
    )
    session.add(row)
    session.flush()
    session.add_all(ProgramCoach(program_id=row.id, user_id=uid) for uid in s.coaches)
    session.add(ProgramWave(program_id=row.id, number=1, seed=_seed(row.id, 1), created_at=now))
    session.flush()
    return view(session, row)


def _seed(program_id: int, number: int) -> int:
    """The wave's stored seed: drawn once, from the program and wave (so a test can foresee it)."""
    return random.Random(f"{program_id}:{number}").randrange(2**31)


def view(session: Session, program: Program) -> ProgramView:
    waves = session.scalars(
        select(ProgramWave).where(ProgramWave.program_id == program.id).order_by(ProgramWave.number)
    )
    return ProgramView(
        name=program.name,
        kind=ProgramKind(program.kind),
        purpose=program.purpose,
        start_date=program.start_date,
        coaches=len(coaches_of(session, program)),
        waves=tuple(wave_figures(session, w) for w in waves),
    )


def listing(session: Session) -> list[ProgramView]:
    return [
        view(session, p) for p in session.scalars(select(Program).order_by(Program.created_at, Program.id))
    ]


def start_wave(session: Session, name: str, *, now: datetime) -> ProgramView:
    program = program_named(session, name)
    wave = current_wave(session, program)
    if wave.published_at is None:
        raise Conflict(
            f"Wave {wave.number} of “{program.name}” is not published yet: "
            "publish it before starting the next."
        )
    number = wave.number + 1
    session.add(
        ProgramWave(program_id=program.id, number=number, seed=_seed(program.id, number), created_at=now)
    )
    session.flush()
    return view(session, program)
