"""``/mentor program stats``: a program's (or one wave's) outcomes, aggregates only. A wave with fewer
than five pairs is merged into the whole program; a program with fewer than five has no figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db.models import (
    ProgramApplication,
    ProgramEnding,
    ProgramInvitation,
    ProgramPair,
    ProgramSession,
    ProgramSessionAnswer,
    ProgramWave,
)
from app.domain.errors import InvalidInput, NotFound
from app.domain.program_outcomes import SMALLEST, Outcomes, PairHistory, outcomes
from app.domain.program_survey import SurveyFigures, survey_figures
from app.services.programs import survey
from app.services.programs.common import program_named


@dataclass(frozen=True, slots=True)
class Stats:
    program: str
    wave: int | None  # None: every wave
    merged: bool  # a wave was asked for but had too few pairs: the whole program is shown
    figures: Outcomes
    survey: SurveyFigures
    weekly: tuple[tuple[date, int], ...] = ()  # sessions held per week (Mondays), for the chart


def _figures(session: Session, program_sessions: int, waves: list[ProgramWave], end_of: dict) -> Outcomes:
    ids = [w.id for w in waves]
    invited = session.scalar(
        select(func.count()).select_from(ProgramInvitation).where(ProgramInvitation.wave_id.in_(ids))
    )
    applied = session.scalar(
        select(func.count()).select_from(ProgramApplication).where(ProgramApplication.wave_id.in_(ids))
    )
    pairs = list(session.scalars(select(ProgramPair).where(ProgramPair.wave_id.in_(ids))))
    endings = {
        e.pair_id: e.created_at
        for e in session.scalars(
            select(ProgramEnding).where(ProgramEnding.pair_id.in_([p.id for p in pairs]))
        )
    }
    # A session was held when one of the two said it happened.
    held_rows = session.execute(
        select(ProgramSession.pair_id, func.count(func.distinct(ProgramSession.id)))
        .join(ProgramSessionAnswer, ProgramSessionAnswer.session_id == ProgramSession.id)
        .where(ProgramSession.pair_id.in_([p.id for p in pairs]), ProgramSessionAnswer.happened.is_(True))
        .group_by(ProgramSession.pair_id)
    ).all()
    held = {pair_id: int(n) for pair_id, n in held_rows}
    ratings = list(
        session.scalars(
            select(ProgramSessionAnswer.rating)
            .join(ProgramSession, ProgramSession.id == ProgramSessionAnswer.session_id)
            .where(
                ProgramSession.pair_id.in_([p.id for p in pairs]), ProgramSessionAnswer.rating.is_not(None)
            )
        )
    )
    people = {u for p in pairs for u in (p.mentor_id, p.mentee_id)}
    first = {u for p in pairs if held.get(p.id) for u in (p.mentor_id, p.mentee_id)}
    histories = [
        PairHistory(
            held=held.get(p.id, 0),
            ended=p.id in endings and endings[p.id] < end_of[p.wave_id],
            rematch=p.rematch_of is not None,
        )
        for p in pairs
    ]
    return outcomes(
        invited=int(invited or 0),
        applied=int(applied or 0),
        matched=len(people),
        first_session=len(first),
        pairs=histories,
        ratings=[int(r) for r in ratings if r is not None],
        sessions=program_sessions,
    )


def stats(session: Session, name: str, wave_number: int | None) -> Stats:
    program = program_named(session, name)
    waves = list(
        session.scalars(
            select(ProgramWave).where(ProgramWave.program_id == program.id).order_by(ProgramWave.number)
        )
    )
    start = datetime.combine(program.start_date, time(), tzinfo=UTC)
    length = timedelta(weeks=program.every_weeks * program.sessions)
    end_of = {w.id: max(start, w.published_at or start) + length for w in waves}
    chosen = waves
    if wave_number is not None:
        chosen = [w for w in waves if w.number == wave_number]
        if not chosen:
            raise NotFound(f"“{program.name}” has no wave {wave_number}.")
    figures = _figures(session, program.sessions, chosen, end_of)
    merged = False
    if wave_number is not None and figures.pairs < SMALLEST:
        figures, merged, chosen = _figures(session, program.sessions, waves, end_of), True, waves
    if figures.pairs < SMALLEST:
        raise InvalidInput(
            f"“{program.name}” has {figures.pairs} {'pair' if figures.pairs == 1 else 'pairs'}: "
            f"figures need at least {SMALLEST}, so that none "
            "of them points at a person."
        )
    given, asked = survey.answers(session, [w.id for w in chosen])
    return Stats(
        program.name,
        None if merged else wave_number,
        merged,
        figures,
        survey_figures(given, asked=asked),
        weekly_held(session, [w.id for w in chosen]),
    )


def weekly_held(session: Session, wave_ids: list[int]) -> tuple[tuple[date, int], ...]:
    """Sessions held (one of the two said so) per week of their start, every week from the first to
    the last shown (a quiet week is a zero, not a gap)."""
    starts = session.execute(
        select(ProgramSession.id, ProgramSession.start)
        .join(ProgramPair, ProgramPair.id == ProgramSession.pair_id)
        .join(ProgramSessionAnswer, ProgramSessionAnswer.session_id == ProgramSession.id)
        .where(
            ProgramPair.wave_id.in_(wave_ids),
            ProgramSessionAnswer.happened.is_(True),
            ProgramSession.start.is_not(None),
        )
    ).all()
    weeks: dict[date, set[int]] = {}
    for session_id, start in starts:
        if start is None:
            continue
        monday = start.date() - timedelta(days=start.weekday())
        weeks.setdefault(monday, set()).add(session_id)
    if not weeks:
        return ()
    first, last = min(weeks), max(weeks)
    count = (last - first).days // 7 + 1
    days = [first + timedelta(weeks=k) for k in range(count)]
    return tuple((d, len(weeks.get(d, ()))) for d in days)
