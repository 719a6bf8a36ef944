"""Where each pair of a program stands now: sessions held (one of the two said it happened), sessions
due (those whose window on the cadence has closed), and the next booked session. What the coach
digest, the check-in prompts and the board read; never a rating or a note."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db.models import (
    Program,
    ProgramEnding,
    ProgramPair,
    ProgramSession,
    ProgramSessionAnswer,
    ProgramWave,
)

BOOKED = ("picked", "confirmed")


@dataclass(frozen=True, slots=True)
class Progress:
    pair: ProgramPair
    held: int
    due: int
    next_start: datetime | None
    ended: bool

    @property
    def behind(self) -> bool:
        return not self.ended and self.held < self.due


def wave_length(program: Program) -> timedelta:
    return timedelta(weeks=max(program.every_weeks, 1) * program.sessions)


def wave_start(program: Program, wave: ProgramWave) -> datetime:
    """When a wave's sessions start: the program's start, or its publication when that came later."""
    start = datetime.combine(program.start_date, time(), tzinfo=UTC)
    return max(start, wave.published_at or start)


def wave_end(program: Program, wave: ProgramWave) -> datetime:
    return wave_start(program, wave) + wave_length(program)


def pair_anchor(program: Program, wave: ProgramWave, pair: ProgramPair) -> datetime:
    """When the pair's first session window opens (a re-match starts its own cadence)."""
    return max(wave_start(program, wave), pair.created_at or wave_start(program, wave))


def due_by(program: Program, anchor: datetime, now: datetime) -> int:
    """Sessions whose window has closed by ``now``."""
    if now < anchor:
        return 0
    return min((now - anchor) // timedelta(weeks=max(program.every_weeks, 1)), program.sessions)


def progress(
    session: Session, program: Program, wave: ProgramWave, pairs: Sequence[ProgramPair], now: datetime
) -> list[Progress]:
    ids = [p.id for p in pairs]
    held = dict(
        session.execute(
            select(ProgramSession.pair_id, func.count(func.distinct(ProgramSession.id)))
            .join(ProgramSessionAnswer, ProgramSessionAnswer.session_id == ProgramSession.id)
            .where(ProgramSession.pair_id.in_(ids), ProgramSessionAnswer.happened.is_(True))
            .group_by(ProgramSession.pair_id)
        ).all()
    )
    upcoming: dict[int, datetime] = {}
    for pair_id, start in session.execute(
        select(ProgramSession.pair_id, ProgramSession.start)
        .where(
            ProgramSession.pair_id.in_(ids),
            ProgramSession.status.in_(BOOKED),
            ProgramSession.start > now,
        )
        .order_by(ProgramSession.start)
    ):
        if start is not None:
            upcoming.setdefault(pair_id, start)
    ended = set(session.scalars(select(ProgramEnding.pair_id).where(ProgramEnding.pair_id.in_(ids))))
    return [
        Progress(
            pair=p,
            held=int(held.get(p.id, 0)),
            due=due_by(program, pair_anchor(program, wave, p), now),
            next_start=upcoming.get(p.id),
            ended=p.id in ended,
        )
        for p in pairs
    ]


def live_waves(session: Session, now: datetime) -> list[tuple[Program, ProgramWave]]:
    """Published waves whose sessions have started and whose end is less than a week past."""
    rows = session.execute(
        select(Program, ProgramWave)
        .join(ProgramWave, ProgramWave.program_id == Program.id)
        .where(ProgramWave.published_at.is_not(None))
        .order_by(Program.id, ProgramWave.number)
    ).all()
    return [
        (program, wave)
        for program, wave in rows
        if wave_start(program, wave) <= now < wave_end(program, wave) + timedelta(weeks=1)
    ]


def pairs_of(session: Session, wave: ProgramWave) -> list[ProgramPair]:
    return list(
        session.scalars(select(ProgramPair).where(ProgramPair.wave_id == wave.id).order_by(ProgramPair.id))
    )
