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

from sqlalchemy import String, cast, delete, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from app.db import queries
from app.db.models import (
    Ask,
    CoffeeAvoid,
    CoffeeChannelMember,
    CoffeeGroup,
    CoffeeGroupMember,
    CoffeeParticipant,
    Feedback,
    Meeting,
    Member,
    MentorProfile,
    Notice,
)
from app.domain.errors import Conflict
from app.services.clock import Clock, utc_now
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
        self, sessions: sessionmaker[Session], mentoring: MentoringService, *, clock: Clock = utc_now
    ) -> None:
        self._sessions = sessions
        self._mentoring = mentoring
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
            session.add(Member(user_id=stand_in, display_name="", tz="UTC", created_at=now, updated_at=now))
            session.flush()
            goals = _count(session, select(Ask.id).where(Ask.asker_id == user_id))
            session.execute(
                update(Ask).where(Ask.asker_id == user_id).values(asker_id=stand_in, goal="", topics={})
            )
            session.execute(update(Meeting).where(Meeting.asker_id == user_id).values(asker_id=stand_in))
            session.execute(update(Meeting).where(Meeting.mentor_id == user_id).values(mentor_id=stand_in))
            session.execute(
                update(Meeting).where(Meeting.cancelled_by == user_id).values(cancelled_by=stand_in)
            )
            notes = _count(
                session, select(Feedback.id).where(Feedback.user_id == user_id, Feedback.note.is_not(None))
            )
            answers = _count(session, select(Feedback.id).where(Feedback.user_id == user_id))
            session.execute(
                update(Feedback).where(Feedback.user_id == user_id).values(user_id=stand_in, note=None)
            )
            groups = _count(
                session, select(CoffeeGroupMember.group_id).where(CoffeeGroupMember.user_id == user_id)
            )
            session.execute(
                update(CoffeeGroupMember).where(CoffeeGroupMember.user_id == user_id).values(user_id=stand_in)
            )
            session.execute(
                update(CoffeeGroup).where(CoffeeGroup.proposer_id == user_id).values(proposer_id=stand_in)
            )
            avoids = _count(session, select(CoffeeAvoid.user_id).where(CoffeeAvoid.user_id == user_id))
            session.execute(
                delete(CoffeeAvoid).where(
                    or_(CoffeeAvoid.user_id == user_id, CoffeeAvoid.avoided_id == user_id)
                )
            )
            session.execute(delete(CoffeeParticipant).where(CoffeeParticipant.user_id == user_id))
            session.execute(delete(CoffeeChannelMember).where(CoffeeChannelMember.user_id == user_id))
            profile = session.get(MentorProfile, user_id) is not None
            queries.set_mentor_topics(session, user_id, ())
            session.execute(delete(MentorProfile).where(MentorProfile.user_id == user_id))
            # Sent and failed notices still carry the person's id and text; queued ones are on their way to
            # someone else (the cancellations above) and go out first.
            session.execute(
                delete(Notice).where(
                    cast(Notice.payload, String).like(f"%{user_id}%"), Notice.status.not_in([QUEUED, SENDING])
                )
            )
            session.execute(delete(Member).where(Member.user_id == user_id))
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


def _count(session: Session, query: object) -> int:
    return len(list(session.scalars(query)))  # type: ignore[call-overload]
