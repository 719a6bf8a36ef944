"""After a conversation: ask both people how it went, once, and keep their answers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from app.db import queries
from app.db.models import Ask, Feedback, Meeting
from app.domain.errors import InvalidInput, NotAllowed, NotFound
from app.domain.model import SLOT_LENGTH, GoalMet
from app.services import notices, outbox
from app.services.clock import Clock, utc_now
from app.services.people import Person


@dataclass(frozen=True, slots=True)
class FeedbackView:
    meeting_id: int
    role: str
    other_id: str
    goal: str
    start: datetime
    rating: int | None
    goal_met: GoalMet | None
    changed: bool  # False when the click repeated what was already stored


MAX_NOTE = 2000


class FeedbackService:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        *,
        clock: Clock = utc_now,
        default_tz: str = "UTC",
        reminder_after: timedelta = timedelta(days=2),
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._default_tz = default_tz
        self._reminder_after = reminder_after

    def request_due_feedback(self, *, now: datetime | None = None, batch: int = 100) -> int:
        """For every confirmed conversation that has ended, ask each person once how it went."""
        now = now or self._clock()
        asked = 0
        with self._sessions.begin() as session:
            for meeting in queries.meetings_due_for_feedback(
                session, ended_before=now - SLOT_LENGTH, limit=batch
            ):
                meeting.feedback_requested_at = now
                ask = session.get(Ask, meeting.ask_id)
                assert ask is not None
                tzs = queries.member_tzs(session, [meeting.asker_id, meeting.mentor_id], self._default_tz)
                for user_id, role, other in (
                    (meeting.asker_id, "asker", meeting.mentor_id),
                    (meeting.mentor_id, "mentor", meeting.asker_id),
                ):
                    session.add(Feedback(meeting_id=meeting.id, user_id=user_id, role=role, asked_at=now))
                    outbox.enqueue(
                        session,
                        notices.FeedbackQuestion(
                            key=f"meeting:{meeting.id}:feedback:{user_id}",
                            to=user_id,
                            meeting_id=meeting.id,
                            role=role,
                            other_id=other,
                            goal=ask.goal,
                            start=meeting.start_at,
                            tz=tzs[user_id],
                        ),
                        now=now,
                    )
                asked += 1
        return asked

    def record(
        self, person: Person, meeting_id: int, *, rating: int | None = None, goal_met: GoalMet | None = None
    ) -> FeedbackView:
        if rating is not None and not 1 <= rating <= 5:
            raise InvalidInput("Ratings go from 1 to 5.")
        with self._sessions.begin() as session:
            meeting = session.get(Meeting, meeting_id)
            if meeting is None:
                raise NotFound("I can't find that conversation any more.")
            row = queries.feedback_row(session, meeting_id, person.user_id)
            if row is None:
                raise NotAllowed("Only the people in this conversation can answer for it.")
            if goal_met is not None and row.role != "asker":
                raise NotAllowed("Only the person who asked can say whether their goal was met.")
            before = (row.rating, row.goal_met)
            if rating is not None:
                row.rating = rating
            if goal_met is not None:
                row.goal_met = goal_met.value
            changed = (row.rating, row.goal_met) != before
            if changed:
                row.answered_at = self._clock()
            ask = session.get(Ask, meeting.ask_id)
            assert ask is not None
            other = meeting.mentor_id if row.role == "asker" else meeting.asker_id
            return FeedbackView(
                meeting_id,
                row.role,
                other,
                ask.goal,
                meeting.start_at,
                row.rating,
                GoalMet(row.goal_met) if row.goal_met else None,
                changed,
            )

    def send_reminders(self, *, now: datetime | None = None, batch: int = 200) -> int:
        """One reminder, never more, to whoever left the feedback question unanswered."""
        now = now or self._clock()
        reminded = 0
        with self._sessions.begin() as session:
            for row in queries.feedback_due_reminder(
                session, asked_before=now - self._reminder_after, limit=batch
            ):
                row.reminded_at = now
                meeting = session.get(Meeting, row.meeting_id)
                ask = session.get(Ask, meeting.ask_id) if meeting else None
                if meeting is None or ask is None:
                    continue
                other = meeting.mentor_id if row.role == "asker" else meeting.asker_id
                outbox.enqueue(
                    session,
                    notices.FeedbackQuestion(
                        key=f"meeting:{meeting.id}:feedback-reminder:{row.user_id}",
                        to=row.user_id,
                        meeting_id=meeting.id,
                        role=row.role,
                        other_id=other,
                        goal=ask.goal,
                        start=meeting.start_at,
                        tz=queries.member_tz(session, row.user_id, self._default_tz),
                        reminder=True,
                    ),
                    now=now,
                )
                reminded += 1
        return reminded

    def save_note(self, person: Person, meeting_id: int, note: str) -> None:
        """A private note on a conversation; only its author can ever read it."""
        note = note.strip()
        if len(note) > MAX_NOTE:
            raise InvalidInput(f"Keep the note to {MAX_NOTE} characters (it has {len(note)}).")
        with self._sessions.begin() as session:
            row = queries.feedback_row(session, meeting_id, person.user_id)
            if row is None:
                raise NotAllowed("Only the people in this conversation can add a note to it.")
            row.note = note or None
            row.answered_at = row.answered_at or self._clock()

    def my_note(self, person: Person, meeting_id: int) -> str | None:
        with self._sessions() as session:
            row = queries.feedback_row(session, meeting_id, person.user_id)
            return row.note if row is not None else None
