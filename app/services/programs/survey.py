"""The end-of-wave survey: at a wave's end everyone who was in one of its pairs is asked once (their
row, written in the same transaction as the notice, is the claim: a second replica's insert fails),
reminded once after ``REMIND_AFTER`` if they haven't answered, and may answer once until it closes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.db.models import Program, ProgramAlumni, ProgramSurvey, ProgramWave
from app.domain.errors import Conflict, InvalidInput, NotFound
from app.domain.program_survey import SurveyAnswer
from app.services import outbox
from app.services.notices import WaveSurvey
from app.services.programs.common import program_named
from app.services.programs.progress import pairs_of, wave_end

REMIND_AFTER = timedelta(days=3)
OPEN_FOR = timedelta(days=14)


@dataclass(frozen=True, slots=True)
class Answered:
    program: str
    alumni_channel: str | None  # the channel to invite them to, when they said yes and one is named


def due_waves(session: Session, now: datetime) -> list[int]:
    """Published waves that have ended and whose survey hasn't gone out."""
    asked = select(ProgramSurvey.wave_id)
    rows = session.execute(
        select(Program, ProgramWave)
        .join(ProgramWave, ProgramWave.program_id == Program.id)
        .where(ProgramWave.published_at.is_not(None), ProgramWave.id.not_in(asked))
    ).all()
    return [wave.id for program, wave in rows if wave_end(program, wave) <= now]


def ask(session: Session, wave_id: int, *, now: datetime) -> int:
    """Ask everyone of the wave's pairs (ended pairs too: their word counts); the flush is the claim."""
    wave = session.get(ProgramWave, wave_id)
    assert wave is not None
    program = session.get(Program, wave.program_id)
    assert program is not None
    people = list(dict.fromkeys(u for p in pairs_of(session, wave) for u in (p.mentor_id, p.mentee_id)))
    session.add_all(ProgramSurvey(wave_id=wave.id, user_id=u, asked_at=now) for u in people)
    session.flush()
    for user_id in people:
        notice = WaveSurvey(
            key=f"program-wave:{wave.id}:survey:{user_id}",
            to=user_id,
            wave_id=wave.id,
            program=program.name,
            number=wave.number,
        )
        outbox.enqueue(session, notice, now=now)
    return len(people)


def remind_due(session: Session, now: datetime) -> int:
    """The one reminder, to whoever hasn't answered ``REMIND_AFTER`` after being asked (claimed)."""
    rows = session.execute(
        select(ProgramSurvey, ProgramWave, Program)
        .join(ProgramWave, ProgramWave.id == ProgramSurvey.wave_id)
        .join(Program, Program.id == ProgramWave.program_id)
        .where(
            ProgramSurvey.answered_at.is_(None),
            ProgramSurvey.reminded_at.is_(None),
            ProgramSurvey.asked_at <= now - REMIND_AFTER,
            ProgramSurvey.asked_at > now - OPEN_FOR,
        )
    ).all()
    sent = 0
    for row, wave, program in rows:
        claimed = session.execute(
            update(ProgramSurvey)
            .where(
                ProgramSurvey.wave_id == row.wave_id,
                ProgramSurvey.user_id == row.user_id,
                ProgramSurvey.reminded_at.is_(None),
            )
            .values(reminded_at=now)
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            continue
        notice = WaveSurvey(
            key=f"program-wave:{wave.id}:survey:{row.user_id}:reminder",
            to=row.user_id,
            wave_id=wave.id,
            program=program.name,
            number=wave.number,
            reminder=True,
        )
        outbox.enqueue(session, notice, now=now)
        sent += 1
    return sent


def _open(session: Session, wave_id: int, user_id: str, now: datetime) -> tuple[ProgramSurvey, Program]:
    row = session.get(ProgramSurvey, (wave_id, user_id))
    wave = session.get(ProgramWave, wave_id)
    if row is None or wave is None:
        raise NotFound("This survey isn't one you were asked: nothing to answer.")
    program = session.get(Program, wave.program_id)
    assert program is not None
    if row.answered_at is not None:
        raise Conflict(f"You've already answered the survey of *{program.name}*: thank you, nothing changed.")
    if now >= row.asked_at + OPEN_FOR:
        raise InvalidInput(
            f"The survey of *{program.name}* closed {OPEN_FOR.days} days after it went out: thank you all "
            "the same."
        )
    return row, program


def form(session: Session, wave_id: int, user_id: str, *, now: datetime) -> str:
    """The program's name when the survey is open to ``user_id`` (else a kind refusal)."""
    return _open(session, wave_id, user_id, now)[1].name


def answer(session: Session, wave_id: int, user_id: str, given: SurveyAnswer, *, now: datetime) -> Answered:
    _, program = _open(session, wave_id, user_id, now)
    done = session.execute(
        update(ProgramSurvey)
        .where(
            ProgramSurvey.wave_id == wave_id,
            ProgramSurvey.user_id == user_id,
            ProgramSurvey.answered_at.is_(None),
        )
        .values(
            answered_at=now,
            goal=given.goal,
            experience=given.experience,
            business=given.business,
            personal=given.personal,
            brand=given.brand,
            alumni=given.alumni,
        )
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]  # the other submission won a moment ago
        raise Conflict(f"You've already answered the survey of *{program.name}*: thank you, nothing changed.")
    alumni = session.get(ProgramAlumni, program.id) if given.alumni else None
    return Answered(program.name, alumni.channel_id if alumni else None)


def set_alumni(session: Session, name: str, channel_id: str, admin_id: str, *, now: datetime) -> str:
    program = program_named(session, name)
    row = session.get(ProgramAlumni, program.id)
    if row is None:
        session.add(ProgramAlumni(program_id=program.id, channel_id=channel_id, set_by=admin_id, set_at=now))
    else:
        row.channel_id, row.set_by, row.set_at = channel_id, admin_id, now
    session.flush()
    return program.name


def answers(session: Session, wave_ids: list[int]) -> tuple[list[SurveyAnswer], int]:
    """The answers given in these waves, and how many were asked."""
    rows = list(session.scalars(select(ProgramSurvey).where(ProgramSurvey.wave_id.in_(wave_ids))))
    given = [
        SurveyAnswer(r.goal, r.experience, r.business, r.personal, bool(r.brand), bool(r.alumni))
        for r in rows
        if r.answered_at is not None and r.goal and r.experience and r.business and r.personal
    ]
    return given, len(rows)
