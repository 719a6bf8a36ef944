"""What every programs use case shares: the settings, the views, finding a program and its wave."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db.models import (
    Program,
    ProgramApplication,
    ProgramCoach,
    ProgramEnding,
    ProgramPair,
    ProgramWave,
)
from app.domain.cohorts import CohortRules, ProgramKind, Role
from app.domain.cohorts_rules import LEVEL_MAX, LEVEL_MIN
from app.domain.errors import InvalidInput, NotFound
from app.domain.interests import MAX_TAGS, parse_tags

MAX_NAME = 80
MAX_TEXT = 1000
MAX_INTERESTS = MAX_TAGS


@dataclass(frozen=True, slots=True)
class ProgramSettings:
    name: str
    purpose: str
    kind: ProgramKind
    min_level_gap: int = 2
    other_team: bool = True
    sessions: int = 7
    every_weeks: int = 4
    minutes: int = 60
    start_date: date | None = None
    coaches: tuple[str, ...] = ()
    capacity: int = 1


@dataclass(frozen=True, slots=True)
class WaveFigures:
    number: int
    applicants: int
    matched: int  # people in published pairs
    published: bool
    ended: int = 0  # pairs ended without blame
    rematched: int = 0  # re-matches made after an ending


@dataclass(frozen=True, slots=True)
class ProgramView:
    name: str
    kind: ProgramKind
    purpose: str
    start_date: date
    coaches: int
    waves: tuple[WaveFigures, ...]


@dataclass(frozen=True, slots=True)
class ApplicationForm:
    """What the application modal needs: the program, the roles it allows, the member's prefill."""

    wave_id: int
    program: str
    purpose: str
    roles: tuple[Role, ...]
    team: str | None
    level: int | None
    kind: ProgramKind = ProgramKind.PEER
    min_level_gap: int = 0


@dataclass(frozen=True, slots=True)
class Application:
    role: Role
    team: str | None
    level: int | None
    interests: tuple[str, ...]
    goals: str
    intro: str
    name_shown: bool


def clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name or len(name) > MAX_NAME:
        raise InvalidInput(f"Give the program a name of 1 to {MAX_NAME} characters.")
    return name


def check_level(level: int | None) -> int | None:
    if level is not None and not LEVEL_MIN <= level <= LEVEL_MAX:
        raise InvalidInput(f"A level is a whole number from {LEVEL_MIN} to {LEVEL_MAX}; {level} is not.")
    return level


def parse_interests(text: str) -> tuple[str, ...]:
    """Interests and hobbies as normalised tags (app.domain.interests); refused when too many or long."""
    return parse_tags(text)


def rules_of(program: Program) -> CohortRules:
    return CohortRules(
        ProgramKind(program.kind),
        min_level_gap=program.min_level_gap,
        other_team=program.other_team,
        capacity=program.capacity,
    )


def program_named(session: Session, name: str) -> Program:
    key = " ".join(name.split()).casefold()
    for row in session.scalars(select(Program)):
        if row.name.casefold() == key:
            return row
    raise NotFound(
        f"There is no program called “{' '.join(name.split())[:MAX_NAME]}”. `/mentor programs` lists them."
    )


def current_wave(session: Session, program: Program) -> ProgramWave:
    wave = session.scalars(
        select(ProgramWave).where(ProgramWave.program_id == program.id).order_by(ProgramWave.number.desc())
    ).first()
    assert wave is not None  # a program is created with its first wave
    return wave


def coaches_of(session: Session, program: Program) -> list[str]:
    return sorted(session.scalars(select(ProgramCoach.user_id).where(ProgramCoach.program_id == program.id)))


def wave_figures(session: Session, wave: ProgramWave) -> WaveFigures:
    applicants = session.scalar(
        select(func.count()).select_from(ProgramApplication).where(ProgramApplication.wave_id == wave.id)
    )
    mentees, mentors = session.execute(
        select(
            func.count(func.distinct(ProgramPair.mentee_id)), func.count(func.distinct(ProgramPair.mentor_id))
        ).where(ProgramPair.wave_id == wave.id)
    ).one()
    matched = int(mentees or 0) + int(mentors or 0)
    ended = session.scalar(
        select(func.count())
        .select_from(ProgramEnding)
        .join(ProgramPair, ProgramPair.id == ProgramEnding.pair_id)
        .where(ProgramPair.wave_id == wave.id)
    )
    rematched = session.scalar(
        select(func.count())
        .select_from(ProgramPair)
        .where(ProgramPair.wave_id == wave.id, ProgramPair.rematch_of.is_not(None))
    )
    published = wave.published_at is not None
    return WaveFigures(
        wave.number, int(applicants or 0), matched, published, int(ended or 0), int(rematched or 0)
    )
