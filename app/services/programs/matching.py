"""Preview a wave's matching (the exact optimum of app.domain.cohorts, on the stored seed), adjust it
(lock or split a pair, exclude a person) and publish it: a group DM per pair, a private brief per coach."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import (
    CoffeeAvoid,
    Program,
    ProgramAdjustment,
    ProgramApplication,
    ProgramPair,
    ProgramWave,
)
from app.domain.cohorts import (
    Adjustments,
    Applicant,
    CohortResult,
    CohortRules,
    Role,
    match_cohort,
)
from app.domain.errors import Conflict, InvalidInput
from app.domain.interests import read_tags
from app.services import outbox
from app.services.notices import CoachBrief, ProgramIntro
from app.services.programs import home
from app.services.programs.common import coaches_of, current_wave, program_named, rules_of
from app.services.programs.hours import reference_week, working_weeks

LOCK, SPLIT, EXCLUDE = "lock", "split", "exclude"


@dataclass(frozen=True, slots=True)
class Preview:
    program: str
    wave: int
    seed: int
    rules: CohortRules
    result: CohortResult
    published: bool
    changed: bool = True  # False when an adjustment asked for was already in place (a second click)


@dataclass(frozen=True, slots=True)
class Published:
    program: str
    wave: int
    pairs: int
    coaches: int


def cohort(session: Session, program: Program, wave: ProgramWave) -> tuple[list[Applicant], Adjustments]:
    rows = list(session.scalars(select(ProgramApplication).where(ProgramApplication.wave_id == wave.id)))
    # A person's confidential "don't pair me with" wishes (`/mentor coffee avoid`) hold here too.
    avoids: dict[str, set[str]] = {}
    ids = [r.user_id for r in rows]
    for who, whom in session.execute(
        select(CoffeeAvoid.user_id, CoffeeAvoid.avoided_id).where(CoffeeAvoid.user_id.in_(ids))
    ):
        avoids.setdefault(who, set()).add(whom)
    weeks = working_weeks(session, ids, reference_week(program, wave))
    applicants = [
        Applicant(
            r.user_id,
            Role(r.role),
            team=r.team,
            level=r.level,
            interests=frozenset(read_tags(r.interests)),
            location=r.location,
            utc_offset_minutes=r.utc_offset_minutes,
            avoid=frozenset(avoids.get(r.user_id, ())),
            week=weeks.get(r.user_id),
        )
        for r in rows
    ]
    marks = list(session.scalars(select(ProgramAdjustment).where(ProgramAdjustment.wave_id == wave.id)))
    earlier = session.execute(
        select(ProgramPair.mentor_id, ProgramPair.mentee_id)
        .join(ProgramWave, ProgramWave.id == ProgramPair.wave_id)
        .where(ProgramWave.program_id == program.id, ProgramWave.number < wave.number)
    ).all()
    adjustments = Adjustments(
        locked=frozenset((m.user_id, m.mentee_id) for m in marks if m.action == LOCK),
        split=frozenset((m.user_id, m.mentee_id) for m in marks if m.action == SPLIT),
        excluded=frozenset(m.user_id for m in marks if m.action == EXCLUDE),
        earlier=frozenset(frozenset(p) for p in earlier),
    )
    return applicants, adjustments


def _match(session: Session, program: Program, wave: ProgramWave) -> Preview:
    applicants, adjustments = cohort(session, program, wave)
    if not applicants:
        raise InvalidInput(f"Nobody has applied to “{program.name}” yet: there is nobody to match.")
    rules = rules_of(program)
    result = match_cohort(applicants, rules, adjustments=adjustments, seed=wave.seed)
    return Preview(program.name, wave.number, wave.seed, rules, result, wave.published_at is not None)


def preview(session: Session, name: str) -> Preview:
    program = program_named(session, name)
    return _match(session, program, current_wave(session, program))


def adjust(
    session: Session,
    name: str,
    action: str,
    user_id: str,
    mentee_id: str = "",
    *,
    now: datetime,
    wave_number: int | None = None,
) -> Preview:
    """Record one adjustment and preview again; a lock that breaks a rule is refused (nothing kept).
    ``wave_number``: the wave the admin was looking at (a form opened before the next wave began is
    refused rather than applied to a cohort they haven't seen)."""
    program = program_named(session, name)
    wave = current_wave(session, program)
    if wave_number is not None and wave_number != wave.number:
        raise Conflict(
            f"This was for wave {wave_number} of “{program.name}”; wave {wave.number} is open now. "
            "Nothing changed: preview it again."
        )
    if wave.published_at is not None:
        raise Conflict(f"Wave {wave.number} of “{program.name}” is published: its pairs no longer change.")
    applied = set(
        session.scalars(select(ProgramApplication.user_id).where(ProgramApplication.wave_id == wave.id))
    )
    if user_id not in applied or (mentee_id and mentee_id not in applied):
        raise InvalidInput("That person has not applied to this wave.")
    exists = session.scalar(
        select(ProgramAdjustment.id).where(
            ProgramAdjustment.wave_id == wave.id,
            ProgramAdjustment.action == action,
            ProgramAdjustment.user_id == user_id,
            ProgramAdjustment.mentee_id == mentee_id,
        )
    )
    if exists is None:
        if action in (LOCK, SPLIT):  # a lock replaces a split of the same pair, and the other way round
            other = SPLIT if action == LOCK else LOCK
            for row in session.scalars(
                select(ProgramAdjustment).where(
                    ProgramAdjustment.wave_id == wave.id,
                    ProgramAdjustment.action == other,
                    ProgramAdjustment.user_id == user_id,
                    ProgramAdjustment.mentee_id == mentee_id,
                )
            ):
                session.delete(row)
        session.add(
            ProgramAdjustment(
                wave_id=wave.id, action=action, user_id=user_id, mentee_id=mentee_id, created_at=now
            )
        )
        session.flush()
    shown = _match(session, program, wave)  # raises (and the transaction rolls back) for a bad lock
    return shown if exists is None else replace(shown, changed=False)


def publish(session: Session, name: str, *, now: datetime) -> Published:
    program = program_named(session, name)
    wave = current_wave(session, program)
    if wave.published_at is not None:
        raise Conflict(
            f"Wave {wave.number} of “{program.name}” is already published: nothing was sent again."
        )
    shown = _match(session, program, wave)
    pairs = shown.result.pairs
    if not pairs:
        raise InvalidInput(f"“{program.name}” has nobody to match under its rules: nothing was published.")
    wave.published_at = now
    written = {
        user: (intro, goals)
        for user, intro, goals in session.execute(
            select(ProgramApplication.user_id, ProgramApplication.intro, ProgramApplication.goals).where(
                ProgramApplication.wave_id == wave.id
            )
        )
    }
    coaches = coaches_of(session, program)
    briefs: dict[str, list[tuple[str, str]]] = {c: [] for c in coaches}
    for k, pair in enumerate(pairs):
        coach = coaches[k % len(coaches)] if coaches else None  # spread evenly, in the pairs' order
        row = ProgramPair(
            wave_id=wave.id, mentor_id=pair.mentor, mentee_id=pair.mentee, coach_id=coach, created_at=now
        )
        session.add(row)
        session.flush()
        if coach is not None:
            briefs[coach].append((pair.mentor, pair.mentee))
        notice = ProgramIntro(
            key=f"program:{wave.id}:intro:{pair.mentor}:{pair.mentee}",
            mentor_id=pair.mentor,
            mentee_id=pair.mentee,
            program=program.name,
            purpose=program.purpose,
            intros={u: written.get(u, ("", ""))[0] for u in (pair.mentor, pair.mentee)},
            goals={u: written.get(u, ("", ""))[1] for u in (pair.mentor, pair.mentee)},
            sessions=program.sessions,
            every_weeks=program.every_weeks,
            minutes=program.minutes,
            pair_id=row.id,
        )
        outbox.enqueue(session, notice, now=now)
    for coach, theirs in briefs.items():
        if theirs:
            brief = CoachBrief(
                key=f"program:{wave.id}:coach:{coach}", to=coach, program=program.name, pairs=tuple(theirs)
            )
            outbox.enqueue(session, brief, now=now)
    session.flush()
    paired = [u for p in pairs for u in (p.mentor, p.mentee)]
    home.refresh(session, paired, f"program-publish:{wave.id}", now=now)
    return Published(program.name, wave.number, len(pairs), sum(1 for t in briefs.values() if t))
