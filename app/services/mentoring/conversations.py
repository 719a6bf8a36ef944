""" "My conversations": what a person has coming up and waiting, their App Home, a mentor's week."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session, sessionmaker

from app.db import meeting_queries as mq
from app.db import queries
from app.db.engine import read_only_engine
from app.db.models import MentorProfile
from app.domain.model import SLOT_LENGTH, MeetingStatus
from app.domain.slots import week_start
from app.services.clock import Clock
from app.services.mentoring.views import AskView, MeetingView, MyConversations
from app.services.people import Person


class Conversations:
    def __init__(self, sessions: sessionmaker[Session], *, clock: Clock) -> None:
        self._sessions = sessions
        self._reads = read_only_engine(sessions)
        self._clock = clock

    def my_conversations(self, person: Person) -> MyConversations:
        """Read on a connection that takes no write lock (three prebuilt selects, no ORM objects); the
        member row is written only when Slack showed a new name or zone (or them back after leaving)."""
        now = self._clock()
        user_id = person.user_id
        with self._reads.connect() as connection:
            current = queries.member_is_current(connection, user_id, name=person.name, tz=person.tz)
            rows = mq.conversations_of(connection, user_id, statuses=queries.HOLDING, since=now - SLOT_LENGTH)
            open_asks = [
                AskView(a.id, a.goal, tuple((a.topics or {}).get("topics", [])), a.created_at)
                for a in mq.open_asks_rows(connection, user_id)
            ]
        if not current:
            with self._sessions.begin() as session:
                queries.upsert_member(session, user_id, name=person.name, tz=person.tz, now=now)
        views = [
            MeetingView(
                meeting_id=r.id,
                ask_id=r.ask_id,
                role="mentor" if r.mentor_id == user_id else "asker",
                other_id=r.asker_id if r.mentor_id == user_id else r.mentor_id,
                start=r.start_at,
                status=MeetingStatus(r.status),
                goal=r.goal,
                topics=tuple((r.topics or {}).get("topics", [])),
            )
            for r in rows
        ]
        return MyConversations(
            upcoming=tuple(v for v in views if v.status == MeetingStatus.CONFIRMED),
            pending=tuple(v for v in views if v.status == MeetingStatus.REQUESTED),
            open_asks=tuple(open_asks),
            tz=person.tz,
        )

    def mark_home_seen(self, person: Person) -> None:
        """From now on the person's App Home is republished when something on it changes."""
        now = self._clock()
        with self._sessions.begin() as session:
            member = queries.upsert_member(session, person.user_id, name=person.name, tz=person.tz, now=now)
            member.home_seen_at = member.home_seen_at or now

    def week_load(self, person: Person) -> tuple[int, int] | None:
        """(conversations booked this week, weekly capacity) for a mentor on the register, else None."""
        now = self._clock()
        with self._sessions() as session:
            profile = session.get(MentorProfile, person.user_id)
            if profile is None or not profile.active:
                return None
            start = week_start(now, person.tz)
            end = week_start(start + timedelta(days=7, hours=12), person.tz)
            return mq.held_between(session, person.user_id, start, end), profile.capacity_per_week
