"""After a hosted session: ask each seat holder once (attended? a 1-5 rating, got what you came for?),
keep the answers, tell the host the average once three people rated, and the per-format figures admins
see (aggregates only).

The ask is claimed by the session's ``feedback_asked_at`` (skip locked, so replicas split sessions) and
each person's notice key is the session and the person, so nobody is asked twice. Each answer is set
once: a second click says it's noted and changes nothing.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.db import session_queries as sq
from app.db.models import HostedSession, SessionFeedback
from app.domain.errors import InvalidInput, NotAllowed
from app.domain.formats import RULES, Format
from app.services import outbox
from app.services.clock import Clock, utc_now
from app.services.notices import SessionFeedbackQuestion, SessionRatingForHost
from app.services.people import Person
from app.services.session_checks import found
from app.services.session_notices import about_session

HOST_SEES_AFTER = 3  # the host sees the average once this many people rated
GOT_IT = ("yes", "partly", "no")
LONGEST = max(rule.max_length for rule in RULES.values())


@dataclass(frozen=True, slots=True)
class SessionAnswers:
    """One person's answers about one session, and whether this click changed anything."""

    session_id: int
    title: str
    attended: bool | None
    rating: int | None
    got_it: str | None
    changed: bool


@dataclass(frozen=True, slots=True)
class FormatFigures:
    """A format's figures over a period: sessions held (ended, not cancelled), the share of their seats
    taken, the share of answers saying they attended, the average rating (None without answers)."""

    label: str  # "1:1", "Group mentoring", …
    held: int
    seats: int  # 0 for 1:1s (nothing to fill)
    filled: int
    attendance_share: float | None
    average_rating: float | None
    ratings: int

    @property
    def filled_share(self) -> float | None:
        return self.filled / self.seats if self.seats else None


class SessionFeedbackService:
    def __init__(self, sessions: sessionmaker[Session], *, clock: Clock = utc_now, default_tz: str = "UTC"):
        self._sessions = sessions
        self._clock = clock
        self._default_tz = default_tz

    def ask_due(self, *, now: datetime | None = None, batch: int = 100) -> int:
        """Each session that has ended: its seat holders asked once. How many people were asked."""
        now = now or self._clock()
        asked = 0
        with self._sessions.begin() as session:
            for row in sq.ended_unasked(session, now=now, longest=LONGEST, limit=batch):
                row.feedback_asked_at = now
                for seat in sq.seats_by_status(session, row.id, sq.TAKEN):
                    session.add(SessionFeedback(session_id=row.id, user_id=seat.user_id, asked_at=now))
                    notice = about_session(
                        SessionFeedbackQuestion,
                        session,
                        row,
                        seat.user_id,
                        key=f"session:{row.id}:feedback:{seat.user_id}",
                        now=now,
                        default_tz=self._default_tz,
                        on_calendar=False,
                    )
                    outbox.enqueue(session, notice, now=now)
                    asked += 1
        return asked

    def answer(
        self,
        person: Person,
        session_id: int,
        *,
        attended: bool | None = None,
        rating: int | None = None,
        got_it: str | None = None,
    ) -> SessionAnswers:
        if rating is not None and not 1 <= rating <= 5:
            raise InvalidInput("Ratings go from 1 to 5.")
        if got_it is not None and got_it not in GOT_IT:
            raise InvalidInput("Say yes, partly or no.")
        now = self._clock()
        with self._sessions.begin() as session:
            row = found(session, session_id)
            mine = session.scalar(
                select(SessionFeedback).where(
                    SessionFeedback.session_id == session_id, SessionFeedback.user_id == person.user_id
                )
            )
            if mine is None:
                raise NotAllowed("Only the people who had a seat in this session can answer for it.")
            changed = False
            if attended is not None and mine.attended is None:
                mine.attended, changed = attended, True
            if got_it is not None and mine.got_it is None:
                mine.got_it, changed = got_it, True
            rated_now = rating is not None and mine.rating is None
            if rated_now:
                mine.rating, changed = rating, True
            if changed:
                mine.answered_at = now
                session.flush()
            if rated_now:
                self._tell_host_if_due(session, row, now=now)
            return SessionAnswers(session_id, row.title, mine.attended, mine.rating, mine.got_it, changed)

    def _tell_host_if_due(self, session: Session, row: HostedSession, *, now: datetime) -> None:
        ratings = ratings_of(session, row.id)
        if len(ratings) < HOST_SEES_AFTER:
            return
        notice = SessionRatingForHost(
            key=f"session:{row.id}:rating-for-host",  # once: the outbox keeps the first
            to=row.host_id,
            session_id=row.id,
            title=row.title,
            average=round(statistics.fmean(ratings), 2),
            ratings=len(ratings),
        )
        outbox.enqueue(session, notice, now=now)


def ratings_of(session: Session, session_id: int) -> list[int]:
    query = select(SessionFeedback.rating).where(
        SessionFeedback.session_id == session_id, SessionFeedback.rating.is_not(None)
    )
    return [int(r) for r in session.scalars(query) if r is not None]


def format_figures(session: Session, *, now: datetime, since: datetime | None) -> tuple[FormatFigures, ...]:
    """Per format, the sessions that ended in the period (by their start) and their answers."""
    query = select(
        HostedSession.id,
        HostedSession.format,
        HostedSession.start_at,
        HostedSession.minutes,
        HostedSession.seats,
        HostedSession.taken,
    ).where(HostedSession.status == sq.OPEN, HostedSession.start_at <= now)
    if since is not None:
        query = query.where(HostedSession.start_at >= since)
    held = [r for r in session.execute(query) if r.start_at + timedelta(minutes=r.minutes) <= now]
    format_of = {r.id: r.format for r in held}
    answers = (
        session.execute(
            select(SessionFeedback.session_id, SessionFeedback.attended, SessionFeedback.rating).where(
                SessionFeedback.session_id.in_(list(format_of))
            )
        ).all()
        if format_of
        else []
    )
    figures = []
    for fmt in (f for f in Format if RULES[f].hosted):
        mine = [r for r in held if r.format == fmt.value]
        theirs = [a for a in answers if format_of[a.session_id] == fmt.value]
        attended = [a.attended for a in theirs if a.attended is not None]
        ratings = [a.rating for a in theirs if a.rating is not None]
        figures.append(
            FormatFigures(
                label=RULES[fmt].label,
                held=len(mine),
                seats=sum(r.seats for r in mine),
                filled=sum(r.taken for r in mine),
                attendance_share=attended.count(True) / len(attended) if attended else None,
                average_rating=statistics.fmean(ratings) if ratings else None,
                ratings=len(ratings),
            )
        )
    return tuple(figures)
