"""What a person's App Home shows of programs: the invitations they can still answer (with Apply),
where their application stands, the program they are in with their partner and next session, and for
admins each program's applicants and matched people per wave. Read only, one short read.

Only what the person already knows is shown: their own partner (the pair was introduced in a group
DM), and other participants of their program only when those people consented to their name being shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.db.models import (
    Member,
    Program,
    ProgramApplication,
    ProgramEnding,
    ProgramInvitation,
    ProgramPair,
    ProgramSession,
    ProgramWave,
)
from app.domain.cohorts import Role
from app.services import outbox
from app.services.notices import HomeRefresh
from app.services.programs.common import ProgramView, current_wave
from app.services.programs.setup import listing

LISTED = 3  # of each kind: the Home holds at most 100 blocks, shared with everything else
OTHERS_LISTED = 10


@dataclass(frozen=True, slots=True)
class HomeInvitation:
    wave_id: int
    program: str
    purpose: str


@dataclass(frozen=True, slots=True)
class HomeApplication:
    program: str
    wave: int
    role: Role


@dataclass(frozen=True, slots=True)
class HomeParticipation:
    program: str
    role: Role  # the person's own
    partner_id: str
    next_session: datetime | None  # confirmed and still to come
    pending: str  # "" | "proposed" (the mentee picks a time) | "picked" (the mentor confirms)
    others: tuple[str, ...]  # other participants of the program who agreed to their name being shown


@dataclass(frozen=True, slots=True)
class ProgramHome:
    invitations: tuple[HomeInvitation, ...] = ()
    applications: tuple[HomeApplication, ...] = ()
    participations: tuple[HomeParticipation, ...] = ()
    admin: tuple[ProgramView, ...] | None = None  # set for admins: every program, with figures per wave
    previewable: frozenset[str] = frozenset()  # programs whose current wave has applicants

    @property
    def empty(self) -> bool:
        return not (self.invitations or self.applications or self.participations or self.admin)


def _open(program: Program, wave: ProgramWave, now: datetime) -> bool:
    return wave.published_at is None and not (wave.number == 1 and now.date() >= program.start_date)


def home(session: Session, user_id: str, *, admin: bool, now: datetime) -> ProgramHome:
    applied = {
        r.wave_id: r
        for r in session.scalars(select(ProgramApplication).where(ProgramApplication.user_id == user_id))
    }
    invitations: list[HomeInvitation] = []
    applications: list[HomeApplication] = []
    waves = session.execute(
        select(ProgramWave, Program)
        .join(Program, Program.id == ProgramWave.program_id)
        .join(ProgramInvitation, ProgramInvitation.wave_id == ProgramWave.id)
        .where(ProgramInvitation.user_id == user_id)
        .order_by(ProgramInvitation.invited_at.desc())
    ).all()
    seen = set()
    for wave, program in [*waves, *_applied_waves(session, applied)]:
        if wave.id in seen:
            continue
        seen.add(wave.id)
        if wave.id in applied:
            if wave.published_at is None:
                applications.append(HomeApplication(program.name, wave.number, Role(applied[wave.id].role)))
        elif _open(program, wave, now):
            invitations.append(HomeInvitation(wave.id, program.name, program.purpose))
    return ProgramHome(
        invitations=tuple(invitations[:LISTED]),
        applications=tuple(applications[:LISTED]),
        participations=tuple(_participations(session, user_id, now)[:LISTED]),
        admin=tuple(listing(session)) if admin else None,
        previewable=_previewable(session) if admin else frozenset(),
    )


def _applied_waves(
    session: Session, applied: dict[int, ProgramApplication]
) -> list[tuple[ProgramWave, Program]]:
    if not applied:
        return []
    rows = session.execute(
        select(ProgramWave, Program)
        .join(Program, Program.id == ProgramWave.program_id)
        .where(ProgramWave.id.in_(list(applied)))
    ).all()
    return [(w, p) for w, p in rows]


def _participations(session: Session, user_id: str, now: datetime) -> list[HomeParticipation]:
    ended = select(ProgramEnding.pair_id)
    rows = session.execute(
        select(ProgramPair, ProgramWave, Program)
        .join(ProgramWave, ProgramWave.id == ProgramPair.wave_id)
        .join(Program, Program.id == ProgramWave.program_id)
        .where(
            or_(ProgramPair.mentor_id == user_id, ProgramPair.mentee_id == user_id),
            ProgramPair.id.not_in(ended),
        )
        .order_by(ProgramPair.id.desc())
    ).all()
    out = []
    for pair, _wave, program in rows:
        mentor = pair.mentor_id == user_id
        sessions = list(
            session.scalars(
                select(ProgramSession)
                .where(ProgramSession.pair_id == pair.id)
                .order_by(ProgramSession.number)
            )
        )
        coming = [
            s.start for s in sessions if s.status == "confirmed" and s.start is not None and s.start > now
        ]
        pending = next((s.status for s in sessions if s.status in ("proposed", "picked")), "")
        out.append(
            HomeParticipation(
                program=program.name,
                role=Role.MENTOR if mentor else Role.MENTEE,
                partner_id=pair.mentee_id if mentor else pair.mentor_id,
                next_session=min(coming) if coming else None,
                pending=pending,
                others=_shown_others(session, program, user_id, {pair.mentor_id, pair.mentee_id}),
            )
        )
    return out


def _shown_others(session: Session, program: Program, user_id: str, pair: set[str]) -> tuple[str, ...]:
    """Participants of the program's published waves who consented to their name being shown."""
    rows = session.scalars(
        select(ProgramApplication.user_id)
        .join(ProgramWave, ProgramWave.id == ProgramApplication.wave_id)
        .where(
            ProgramWave.program_id == program.id,
            ProgramWave.published_at.is_not(None),
            ProgramApplication.name_shown.is_(True),
        )
        .order_by(ProgramApplication.user_id)
    )
    return tuple(u for u in dict.fromkeys(rows) if u not in pair and u != user_id)[:OTHERS_LISTED]


def _previewable(session: Session) -> frozenset[str]:
    names = set()
    for program in session.scalars(select(Program)):
        wave = current_wave(session, program)
        if session.scalar(
            select(ProgramApplication.id).where(ProgramApplication.wave_id == wave.id).limit(1)
        ):
            names.add(program.name)
    return frozenset(names)


def refresh(session: Session, user_ids: Iterable[str], why: str, *, now: datetime) -> None:
    """Queue a Home refresh for each of them who has opened their Home, once per ``why`` (an invitation,
    an application, a publication): its own key, so two in one instant are both kept."""
    ids = list(dict.fromkeys(user_ids))
    if not ids:
        return
    seen = session.scalars(
        select(Member.user_id).where(Member.user_id.in_(ids), Member.home_seen_at.is_not(None))
    )
    for uid in seen:
        outbox.enqueue(session, HomeRefresh(key=f"home:{uid}:{why}", to=uid), now=now)
