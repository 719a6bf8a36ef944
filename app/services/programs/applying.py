"""Invitations and applications: invite people (a DM each with Apply), the application's prefill and
submission, and an admin's CSV import of applicants."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import queries
from app.db.models import (
    Member,
    MemberOffice,
    Office,
    Program,
    ProgramApplication,
    ProgramInvitation,
    ProgramWave,
)
from app.db.models.base import Base
from app.domain.cohorts import ProgramKind, Role
from app.domain.cohorts_rules import fitting_roles, role_refusal
from app.domain.errors import Conflict, InvalidInput, NotFound
from app.domain.interests import store_tags
from app.services import outbox
from app.services.notices import ProgramInvite
from app.services.people import Person
from app.services.programs import home
from app.services.programs.common import (
    MAX_TEXT,
    Application,
    ApplicationForm,
    check_level,
    current_wave,
    parse_interests,
    program_named,
    rules_of,
)


class RoleRefused(InvalidInput):
    """The role chosen can never be matched at the level given, under the program's kind."""


STARTED = "“{name}” has started: applications are closed. An admin can add you to its next wave."


@dataclass(frozen=True, slots=True)
class ImportReport:
    added: int
    skipped: tuple[str, ...]  # "row 3: U123 is not in this workspace"


def roles_for(program: Program, level: int | None) -> tuple[Role, ...]:
    """The roles the program's kind leaves someone at ``level`` (reverse: mentors below their mentees,
    classic: above, peer: either way); both when the level is not known yet."""
    return fitting_roles(rules_of(program), level) or (Role.MENTOR, Role.MENTEE)


def invite(session: Session, name: str, user_ids: Sequence[str], *, now: datetime) -> tuple[str, int]:
    """Invite each person once per wave (a DM each); the program's name and how many were new."""
    program = program_named(session, name)
    wave = current_wave(session, program)
    _open_or_refuse(program, wave, now=now)
    already = set(
        session.scalars(select(ProgramInvitation.user_id).where(ProgramInvitation.wave_id == wave.id))
    )
    new = [u for u in dict.fromkeys(user_ids) if u not in already]
    for uid in new:
        session.add(ProgramInvitation(wave_id=wave.id, user_id=uid, invited_at=now))
        notice = ProgramInvite(
            key=f"program:{wave.id}:invite:{uid}",
            to=uid,
            wave_id=wave.id,
            program=program.name,
            purpose=program.purpose,
        )
        outbox.enqueue(session, notice, now=now)
    session.flush()
    home.refresh(session, new, f"program-invite:{wave.id}", now=now)
    return program.name, len(new)


def _open_or_refuse(program: Program, wave: ProgramWave, *, now: datetime) -> None:
    if wave.published_at is not None or (wave.number == 1 and now.date() >= program.start_date):
        raise Conflict(STARTED.format(name=program.name))


def _wave(session: Session, wave_id: int) -> tuple[Program, ProgramWave]:
    wave = session.get(ProgramWave, wave_id)
    program = session.get(Program, wave.program_id) if wave is not None else None
    if wave is None or program is None:
        raise NotFound("That program is gone.")
    return program, wave


def application_form(session: Session, wave_id: int, person: Person, *, now: datetime) -> ApplicationForm:
    program, wave = _wave(session, wave_id)
    _open_or_refuse(program, wave, now=now)
    _not_twice(session, program, wave, person.user_id)
    member = session.get(Member, person.user_id)
    return ApplicationForm(
        wave_id=wave.id,
        program=program.name,
        purpose=program.purpose,
        roles=roles_for(program, member.level if member else None),
        kind=ProgramKind(program.kind),
        min_level_gap=program.min_level_gap,
        team=member.team if member else None,
        level=member.level if member else None,
    )


def _not_twice(session: Session, program: Program, wave: ProgramWave, user_id: str) -> None:
    if session.scalar(
        select(ProgramApplication.id).where(
            ProgramApplication.wave_id == wave.id, ProgramApplication.user_id == user_id
        )
    ):
        raise Conflict(f"You have already applied to “{program.name}”. Nothing changed.")


def apply(session: Session, wave_id: int, person: Person, form: Application, *, now: datetime) -> str:
    """Store the application; the program's name. Refused (nothing stored) when the program started,
    they applied already, or a field is out of bounds."""
    program, wave = _wave(session, wave_id)
    _open_or_refuse(program, wave, now=now)
    _not_twice(session, program, wave, person.user_id)
    check_level(form.level)
    refusal = role_refusal(rules_of(program), form.role, form.level)
    if refusal is not None:
        raise RoleRefused(refusal)
    if len(form.goals) > MAX_TEXT or len(form.intro) > MAX_TEXT:
        raise InvalidInput(f"Keep each answer under {MAX_TEXT} characters.")
    queries.upsert_member(session, person.user_id, name=person.name, tz=person.tz, now=now)
    _store(session, wave, person.user_id, form, tz=person.tz, now=now)
    home.refresh(session, [person.user_id], f"program-apply:{wave.id}", now=now)
    return program.name


def _store(
    session: Session, wave: ProgramWave, user_id: str, form: Application, *, tz: str, now: datetime
) -> None:
    place = session.scalar(
        select(Office.name)
        .join(MemberOffice, MemberOffice.office_id == Office.id)
        .where(MemberOffice.user_id == user_id)
    )
    row: Base = ProgramApplication(
        wave_id=wave.id,
        user_id=user_id,
        role=form.role.value,
        team=(form.team or "").strip()[:80] or None,
        level=form.level,
        interests=store_tags(form.interests)[:400],
        goals=form.goals.strip(),
        intro=form.intro.strip(),
        location=place,
        utc_offset_minutes=_offset(tz, now),
        name_shown=form.name_shown,
        created_at=now,
    )
    session.add(row)
    session.flush()


def _offset(tz: str, now: datetime) -> int | None:
    try:
        delta = now.astimezone(ZoneInfo(tz)).utcoffset()
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return None if delta is None else int(delta.total_seconds() // 60)


CSV_HEADER = ("slack_id", "role", "team", "level", "interests")


def import_csv(
    session: Session, name: str, text: str, lookup: Callable[[str], Person | None], *, now: datetime
) -> ImportReport:
    """Rows of ``slack_id,role,team,level,interests`` (a header row is optional; interests separated by
    ``;`` or ``|``). A row for someone not in the workspace, someone already in, or a bad field is
    reported and skipped; the rest are added to the current wave."""
    program = program_named(session, name)
    wave = current_wave(session, program)
    if wave.published_at is not None:
        raise Conflict(STARTED.format(name=program.name))
    have = set(
        session.scalars(select(ProgramApplication.user_id).where(ProgramApplication.wave_id == wave.id))
    )
    added, skipped = 0, []
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        cells = [c.strip() for c in row]
        if not any(cells) or (number == 1 and cells[0].casefold() in ("slack_id", "slack id", "id")):
            continue
        why = _bad_row(cells, have) or _role_misfit(program, cells)
        person = None if why else lookup(cells[0])
        if why is None and person is None:
            why = f"{cells[0][:20]} is not in this workspace"
        if why is not None or person is None:
            skipped.append(f"row {number}: {why}")
            continue
        level = int(cells[3]) if len(cells) > 3 and cells[3] else None
        interests = parse_interests(cells[4] if len(cells) > 4 else "")
        form = Application(
            Role(cells[1].casefold()), cells[2] if len(cells) > 2 else None, level, interests, "", "", False
        )
        queries.upsert_member(session, person.user_id, name=person.name, tz=person.tz, now=now)
        _store(session, wave, person.user_id, form, tz=person.tz, now=now)
        have.add(person.user_id)
        added += 1
    return ImportReport(added, tuple(skipped))


def _role_misfit(program: Program, cells: list[str]) -> str | None:
    level = int(cells[3]) if len(cells) > 3 and cells[3] else None
    refusal = role_refusal(rules_of(program), Role(cells[1].casefold()), level)
    return None if refusal is None else f"{cells[0][:20]}: {refusal}"


def _bad_row(cells: list[str], have: set[str]) -> str | None:
    if len(cells) < 2 or not cells[0]:
        return "give at least a Slack ID and a role"
    if cells[1].casefold() not in (Role.MENTOR, Role.MENTEE):
        return "the role is mentor or mentee"
    level = cells[3] if len(cells) > 3 else ""
    if level and (not level.isdigit() or not 1 <= int(level) <= 5):
        return "the level is a whole number from 1 to 5"
    if len(cells) > 4:
        try:
            parse_interests(cells[4])
        except InvalidInput as exc:
            return exc.message
    if cells[0] in have:
        return f"{cells[0][:20]} is already in this wave"
    return None
