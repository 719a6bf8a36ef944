"""`/mentor forget-me`: erase what the bot holds about a person, keeping only anonymous counts.

Rows that feed the program's figures (asks, conversations, answers, coffee groups) stay, but are
re-pointed at a fresh random stand-in and stripped of text (goals, notes); everything else about the
person (profile, topics, coffee choices, "don't pair" lists, messages waiting to be sent) is deleted.
Upcoming conversations are cancelled first, so the other side is told. Nobody can undo it.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from app.db import erasure_queries as eq
from app.db import queries
from app.db.models import Member
from app.domain.errors import Conflict
from app.services.clock import Clock, utc_now
from app.services.hosting import HostingService
from app.services.mentoring import MentoringService
from app.services.outbox import QUEUED, SENDING
from app.services.people import Person


@dataclass(frozen=True, slots=True)
class ErasureReport:
    mentor_profile: bool
    goals: int
    notes: int
    answers: int
    coffee_groups: int
    avoid_entries: int
    cancelled_conversations: int


class ErasureService:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        mentoring: MentoringService,
        *,
        hosting: HostingService,
        clock: Clock = utc_now,
    ) -> None:
        self._sessions = sessions
        self._mentoring = mentoring
        self._hosting = hosting
        self._clock = clock

    def forget(self, person: Person) -> ErasureReport:
        """One transaction: the cancellations and the erasure are committed together, or neither."""
        user_id = person.user_id
        stand_in = "X" + secrets.token_hex(5).upper()  # not a Slack ID; links nothing to anyone
        now = self._clock()
        with self._sessions.begin() as session:
            if session.get(Member, person.user_id) is None:
                raise Conflict("There's nothing of yours left to erase.")
            cancelled = self._cancel_upcoming(session, person, now)
            # Their seats go to the next waiting, their sessions are called off (everyone told).
            self._hosting.forget_within(session, user_id, now=now)
            eq.add_stand_in(session, stand_in, now=now)
            goals = eq.repoint_asks(session, user_id, stand_in)
            eq.repoint_meetings(session, user_id, stand_in)
            notes, answers = eq.repoint_feedback(session, user_id, stand_in)
            groups = eq.repoint_coffee_groups(session, user_id, stand_in)
            avoids = eq.delete_coffee_choices(session, user_id)
            profile = eq.delete_mentor_profile(session, user_id)
            eq.erase_program_rows(session, user_id, stand_in)
            # Sent and failed notices still carry the person's id and text; queued ones are on their way to
            # someone else (the cancellations above) and go out first.
            eq.delete_notices_concerning(session, user_id, keep_statuses=(QUEUED, SENDING))
            eq.delete_member(session, user_id)
        return ErasureReport(profile, goals, notes, answers + groups, groups, avoids, cancelled)

    def _cancel_upcoming(self, session: Session, person: Person, now: datetime) -> int:
        """Call off what is still to come, so the other side is told (their notices go out first)."""
        upcoming = [
            m.id for m in queries.meetings_of(session, person.user_id, statuses=queries.HOLDING, since=now)
        ]
        cancelled = 0
        for meeting_id in upcoming:
            try:
                self._mentoring.booking.cancel_within(session, person, meeting_id, now=now)
                cancelled += 1
            except Conflict:
                pass  # settled meanwhile; nothing was written for it
        return cancelled
