"""Coaches: a private weekly digest of their pairs (sessions held, the next one, who is behind) and,
three times in each wave, a prompt to reach out to each of their mentors. Coaches never see ratings or
notes. Each send is claimed by a key in ``program_coach_sends`` inserted in its own transaction, so
two replicas (or a restart) send it once; after downtime only the latest prompt due is sent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import Member, Program, ProgramCoachSend, ProgramEnding, ProgramPair, ProgramWave
from app.domain.errors import Conflict, InvalidInput, NotFound
from app.services import outbox
from app.services.members import working_hours
from app.services.notices import CoachCheckIn, CoachDigest, CoachPrompt, DigestLine
from app.services.programs.progress import live_waves, pair_anchor, pairs_of, progress, wave_length

PROMPTS = 3  # check-ins per wave, at a quarter, half and three quarters of the way


@dataclass(frozen=True, slots=True)
class Send:
    """One claim to make and the notice it sends (None: claimed silently, a prompt caught up past)."""

    keys: tuple[str, ...]
    notice: CoachDigest | CoachPrompt


def _week(now: datetime) -> str:
    year, week, _ = now.isocalendar()
    return f"{year}-W{week:02d}"


UNKNOWN_ZONE = ""  # a digest for a coach we know by id only: the caller asks Slack, outside the session


def due_sends(session: Session, now: datetime) -> list[Send]:
    """The digests of this week and the prompts due, not yet claimed. A digest's times are in the
    coach's zone as we know it, else ``UNKNOWN_ZONE``."""
    sent = set(session.scalars(select(ProgramCoachSend.key)))
    sends: list[Send] = []
    for program, wave in live_waves(session, now):
        figures = progress(session, program, wave, pairs_of(session, wave), now)
        by_coach: dict[str, list[DigestLine]] = {}
        for f in figures:
            if not f.pair.coach_id:
                continue
            by_coach.setdefault(f.pair.coach_id, []).append(
                DigestLine(f.pair.mentor_id, f.pair.mentee_id, f.held, f.due, f.next_start, f.ended)
            )
            if f.ended:
                continue
            anchor, length = pair_anchor(program, wave, f.pair), wave_length(program)
            reached = [k for k in range(1, PROMPTS + 1) if now >= anchor + length * k / (PROMPTS + 1)]
            pending = [k for k in reached if f"prompt:{f.pair.id}:{k}" not in sent]
            if pending:
                prompt = CoachPrompt(
                    key=f"program-pair:{f.pair.id}:coach-prompt:{pending[-1]}",
                    to=f.pair.coach_id,
                    pair_id=f.pair.id,
                    program=program.name,
                    mentor_id=f.pair.mentor_id,
                    mentee_id=f.pair.mentee_id,
                    held=f.held,
                    due=f.due,
                    k=pending[-1],
                )
                sends.append(Send(tuple(f"prompt:{f.pair.id}:{k}" for k in pending), prompt))
        for coach, lines in by_coach.items():
            key = f"digest:{wave.id}:{coach}:{_week(now)}"
            if key in sent:
                continue
            member = session.get(Member, coach)
            digest = CoachDigest(
                key=f"program-wave:{wave.id}:coach-digest:{coach}:{_week(now)}",
                to=coach,
                program=program.name,
                of=program.sessions,
                tz=working_hours(member).tz if member is not None else UNKNOWN_ZONE,
                lines=tuple(lines),
            )
            sends.append(Send((key,), digest))
    return sends


def send(session: Session, item: Send, *, now: datetime) -> None:
    """Claim ``item``'s keys (the flush fails when another run did) and enqueue its notice."""
    session.add_all(ProgramCoachSend(key=key, sent_at=now) for key in item.keys)
    session.flush()
    outbox.enqueue(session, item.notice, now=now)


def nudge(session: Session, pair_id: int, k: int, coach_id: str, *, now: datetime) -> str:
    """The coach's "Ask them from me" on prompt ``k``: the mentor hears from their coach, once per
    prompt (the claim's flush fails on a second click). Returns the mentor's id."""
    pair = session.get(ProgramPair, pair_id)
    if pair is None:
        raise NotFound("That pairing no longer exists.")
    if pair.coach_id != coach_id:
        raise InvalidInput("Only the pair's coach checks in from here.")
    if session.get(ProgramEnding, pair.id) is not None:
        raise Conflict("This pairing has ended: there's no one to check in with.")
    wave = session.get(ProgramWave, pair.wave_id)
    assert wave is not None
    program = session.get(Program, wave.program_id)
    assert program is not None
    session.add(ProgramCoachSend(key=f"nudge:{pair.id}:{k}", sent_at=now))
    session.flush()
    notice = CoachCheckIn(
        key=f"program-pair:{pair.id}:coach-check-in:{k}",
        to=pair.mentor_id,
        program=program.name,
        coach_id=coach_id,
        mentee_id=pair.mentee_id,
    )
    outbox.enqueue(session, notice, now=now)
    return pair.mentor_id
