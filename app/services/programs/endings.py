"""No-blame endings and re-matching: either person ends their pairing (an optional reason only the
admin reads); the partner and the coach are told kindly, without it; the admin is offered the best
re-matches under the program's rules (part 1's matcher, each person's past partners excluded) and
re-pairs with one click. Ending twice, or re-pairing twice, changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.db.models import Member, Program, ProgramApplication, ProgramEnding, ProgramPair, ProgramWave
from app.domain.cohorts import Adjustments, Applicant, Role, match_cohort
from app.domain.errors import Conflict, InvalidInput, NotFound
from app.services import outbox
from app.services.notices import PairEnded, PairEndedAdmin, ProgramIntro
from app.services.programs.common import rules_of
from app.services.programs.matching import cohort

MAX_REASON = 1000
OPTIONS = 3  # re-matches offered for each of the two


@dataclass(frozen=True, slots=True)
class Ended:
    program: str
    partner: str


@dataclass(frozen=True, slots=True)
class Repaired:
    program: str
    mentor: str
    mentee: str


def _pair(session: Session, pair_id: int) -> tuple[ProgramPair, ProgramWave, Program]:
    pair = session.get(ProgramPair, pair_id)
    if pair is None:
        raise NotFound("That pairing no longer exists.")
    wave = session.get(ProgramWave, pair.wave_id)
    assert wave is not None
    program = session.get(Program, wave.program_id)
    assert program is not None
    return pair, wave, program


def live_pair(session: Session, pair_id: int) -> tuple[ProgramPair, ProgramWave, Program] | None:
    """The pair with its wave and program, or None once it has ended (or never existed)."""
    if session.get(ProgramPair, pair_id) is None or _ended(session, pair_id):
        return None
    return _pair(session, pair_id)


def gone_people(session: Session) -> set[str]:
    """Who left the workspace: marked unreachable by a delivery, or a pairing ended by their leaving."""
    left = session.scalars(select(ProgramEnding.ended_by).where(ProgramEnding.left_workspace.is_(True)))
    away = session.scalars(select(Member.user_id).where(Member.unreachable_since.is_not(None)))
    return set(left) | set(away)


def _ended(session: Session, pair_id: int) -> bool:
    return session.get(ProgramEnding, pair_id) is not None


def end_form(session: Session, pair_id: int, user_id: str) -> str:
    """The program's name, when ``user_id`` may still end this pairing."""
    pair, _, program = _pair(session, pair_id)
    if user_id not in (pair.mentor_id, pair.mentee_id):
        raise InvalidInput("Only the two people of a pairing can end it.")
    if _ended(session, pair_id):
        raise Conflict("This pairing has already ended: nothing more to do. Thank you for trying it.")
    return program.name


def end(session: Session, pair_id: int, user_id: str, reason: str, *, now: datetime) -> Ended:
    pair, wave, program = _pair(session, pair_id)
    end_form(session, pair_id, user_id)
    reason = reason.strip()
    if len(reason) > MAX_REASON:
        raise InvalidInput(f"Keep the reason under {MAX_REASON} characters.")
    session.add(ProgramEnding(pair_id=pair.id, ended_by=user_id, reason=reason, created_at=now))
    session.flush()  # a second ending of the same pair fails here (the primary key), not twice
    other = pair.mentee_id if user_id == pair.mentor_id else pair.mentor_id
    base = f"program:{wave.id}:ended:{pair.id}"
    for to, key, coach in ((other, "partner", False), (pair.coach_id, "coach", True)):
        if to:
            told = PairEnded(
                key=f"{base}:{key}",
                to=to,
                program=program.name,
                mentor_id=pair.mentor_id,
                mentee_id=pair.mentee_id,
                coach=coach,
            )
            outbox.enqueue(session, told, now=now)
    options = tuple(
        o for who in (pair.mentee_id, pair.mentor_id) for o in rematch_options(session, program, wave, who)
    )
    admin = PairEndedAdmin(
        key=f"{base}:admin",
        to=program.created_by,
        pair_id=pair.id,
        ended_by=user_id,
        reason=reason,
        options=options,
        program=program.name,
        mentor_id=pair.mentor_id,
        mentee_id=pair.mentee_id,
    )
    outbox.enqueue(session, admin, now=now)
    return Ended(program.name, other)


def _active(session: Session, wave: ProgramWave) -> list[ProgramPair]:
    ended = select(ProgramEnding.pair_id)
    return list(
        session.scalars(
            select(ProgramPair).where(ProgramPair.wave_id == wave.id, ProgramPair.id.not_in(ended))
        )
    )


def _free(session: Session, program: Program, wave: ProgramWave) -> set[str]:
    """Applicants of the wave who could take one more partner now (never someone who left)."""
    active = _active(session, wave)
    gone = gone_people(session)
    busy_mentees = {p.mentee_id for p in active}
    load: dict[str, int] = {}
    for p in active:
        load[p.mentor_id] = load.get(p.mentor_id, 0) + 1
    rows = session.execute(
        select(ProgramApplication.user_id, ProgramApplication.role).where(
            ProgramApplication.wave_id == wave.id
        )
    ).all()
    free = set()
    for uid, role in rows:
        if uid in gone:
            continue
        if role == Role.MENTEE.value and uid not in busy_mentees:
            free.add(uid)
        if role == Role.MENTOR.value and load.get(uid, 0) < max(program.capacity, 1):
            free.add(uid)
    return free


def _past_partners(session: Session, program: Program, user_id: str) -> frozenset[frozenset[str]]:
    rows = session.execute(
        select(ProgramPair.mentor_id, ProgramPair.mentee_id)
        .join(ProgramWave, ProgramWave.id == ProgramPair.wave_id)
        .where(
            ProgramWave.program_id == program.id,
            or_(ProgramPair.mentor_id == user_id, ProgramPair.mentee_id == user_id),
        )
    ).all()
    return frozenset(frozenset(r) for r in rows)


def rematch_options(
    session: Session, program: Program, wave: ProgramWave, user_id: str, limit: int = OPTIONS
) -> list[tuple[str, str, int]]:
    """The best free partners for ``user_id`` under the program's rules, each scored by the matcher on
    the two alone; their past partners (in any wave) are excluded. (person, candidate, points)."""
    applicants, marks = cohort(session, program, wave)
    by_id: dict[str, Applicant] = {a.user_id: a for a in applicants}
    person = by_id.get(user_id)
    free = _free(session, program, wave)
    if person is None or user_id not in free:
        return []
    rules = rules_of(program)
    earlier = _past_partners(session, program, user_id)
    adjustments = Adjustments(split=marks.split, excluded=marks.excluded, earlier=earlier)
    scored = []
    for other in applicants:
        if other.role is person.role or other.user_id not in free:
            continue
        result = match_cohort([person, other], rules, adjustments=adjustments, seed=wave.seed)
        if result.pairs:
            scored.append((user_id, other.user_id, result.pairs[0].points))
    scored.sort(key=lambda o: (-o[2], o[1]))
    return scored[:limit]


def repair(session: Session, pair_id: int, for_user: str, candidate: str, *, now: datetime) -> Repaired:
    """The admin's one click: pair ``for_user`` (of the ended pair) with ``candidate``, once."""
    pair, wave, program = _pair(session, pair_id)
    if not _ended(session, pair_id) or for_user not in (pair.mentor_id, pair.mentee_id):
        raise InvalidInput("That pairing hasn't ended: there is nothing to re-match.")
    done = session.scalar(
        select(ProgramPair).where(ProgramPair.rematch_of == pair.id, ProgramPair.rematch_for == for_user)
    )
    if done is not None:
        raise Conflict(
            f"<@{for_user}> was already re-paired with "
            f"<@{done.mentor_id if done.mentee_id == for_user else done.mentee_id}>: nothing changed."
        )
    allowed = {c for _, c, _ in rematch_options(session, program, wave, for_user, limit=10_000)}
    if candidate not in allowed:
        raise Conflict(
            f"<@{candidate}> can no longer be paired with <@{for_user}> (matched meanwhile, or the rules "
            "now forbid it): nothing changed."
        )
    mentor, mentee = (for_user, candidate) if for_user == pair.mentor_id else (candidate, for_user)
    row = ProgramPair(
        wave_id=wave.id,
        mentor_id=mentor,
        mentee_id=mentee,
        coach_id=pair.coach_id,
        rematch_of=pair.id,
        rematch_for=for_user,
        created_at=now,
    )
    session.add(row)
    session.flush()
    written = {
        user: (intro, goals)
        for user, intro, goals in session.execute(
            select(ProgramApplication.user_id, ProgramApplication.intro, ProgramApplication.goals).where(
                ProgramApplication.wave_id == wave.id, ProgramApplication.user_id.in_([mentor, mentee])
            )
        )
    }
    notice = ProgramIntro(
        key=f"program:{wave.id}:rematch:{pair.id}:{for_user}",
        mentor_id=mentor,
        mentee_id=mentee,
        program=program.name,
        purpose=program.purpose,
        intros={u: written.get(u, ("", ""))[0] for u in (mentor, mentee)},
        goals={u: written.get(u, ("", ""))[1] for u in (mentor, mentee)},
        sessions=program.sessions,
        every_weeks=program.every_weeks,
        minutes=program.minutes,
        pair_id=row.id,
    )
    outbox.enqueue(session, notice, now=now)
    return Repaired(program.name, mentor, mentee)
