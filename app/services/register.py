"""The mentor register: join, edit the profile, toggle availability, go away, leave."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from app.db import queries
from app.db.models import Meeting, Member, MentorProfile
from app.domain.errors import Conflict, InvalidInput, NotFound
from app.domain.formats import validate_link
from app.domain.model import DEFAULT_CAPACITY_PER_WEEK, MAX_TOPICS, MeetingStatus, WeeklyWindow
from app.services.clock import Clock, utc_now
from app.services.mentoring import MentoringService
from app.services.people import Person

MAX_CAPACITY = 20
MAX_BIO = 500


@dataclass(frozen=True, slots=True)
class ProfileView:
    """A mentor profile as the modal and messages show it."""

    user_id: str
    topics: tuple[str, ...]
    bio: str
    windows: tuple[WeeklyWindow, ...]
    windows_customised: bool
    capacity_per_week: int
    available: bool
    away_until: datetime | None
    reverse_ok: bool
    active: bool
    team: str | None
    level: int | None
    tz: str
    meeting_link: str | None = None


@dataclass(frozen=True, slots=True)
class ProfileInput:
    topics: tuple[str, ...]
    bio: str
    windows: tuple[WeeklyWindow, ...]
    capacity_per_week: int
    reverse_ok: bool
    team: str | None
    level: int | None
    meeting_link: str | None = None  # validated with app.domain.formats.validate_link; None: none


@dataclass(frozen=True, slots=True)
class LeavePreview:
    confirmed: tuple[Meeting, ...]
    pending: tuple[Meeting, ...]


class RegisterService:
    def __init__(
        self, sessions: sessionmaker[Session], mentoring: MentoringService, clock: Clock = utc_now
    ) -> None:
        self._sessions = sessions
        self._mentoring = mentoring
        self._clock = clock

    def profile(self, person: Person) -> ProfileView | None:
        with self._sessions.begin() as session:
            queries.upsert_member(session, person.user_id, name=person.name, tz=person.tz, now=self._clock())
            return self._view(session, person.user_id)

    def join(self, person: Person, topics: tuple[str, ...]) -> tuple[ProfileView, bool]:
        """Put the caller on the register (again) with these topics added; True when new."""
        now = self._clock()
        with self._sessions.begin() as session:
            queries.upsert_member(session, person.user_id, name=person.name, tz=person.tz, now=now)
            profile = session.get(MentorProfile, person.user_id)
            created = profile is None or not profile.active
            if profile is None:
                profile = MentorProfile(
                    user_id=person.user_id,
                    bio="",
                    windows={},
                    windows_customised=False,
                    capacity_per_week=DEFAULT_CAPACITY_PER_WEEK,
                    available=True,
                    reverse_ok=True,
                    active=True,
                    joined_at=now,
                    updated_at=now,
                )
                session.add(profile)
                session.flush()
            merged = list(dict.fromkeys([*queries.mentor_topics(session, person.user_id), *topics]))
            if len(merged) > MAX_TOPICS:  # raised inside the transaction: nothing is saved
                raise InvalidInput(
                    f"That would make {len(merged)} topics; a mentor can offer at most {MAX_TOPICS}. "
                    "Pick the ones you want with `/mentor profile`."
                )
            profile.active, profile.updated_at = True, now
            queries.set_mentor_topics(session, person.user_id, merged)
            session.flush()
            view = self._view(session, person.user_id)
            assert view is not None
            return view, created

    def save_profile(self, person: Person, data: ProfileInput) -> ProfileView:
        if not data.topics:
            raise InvalidInput("Add at least one topic you'd like to mentor on, e.g. `python, career`.")
        if not 0 <= data.capacity_per_week <= MAX_CAPACITY:
            raise InvalidInput(f"Weekly capacity must be a whole number from 0 to {MAX_CAPACITY}.")
        if len(data.bio) > MAX_BIO:
            raise InvalidInput(f"Keep the bio to {MAX_BIO} characters (it has {len(data.bio)}).")
        link = validate_link(data.meeting_link) if data.meeting_link and data.meeting_link.strip() else None
        now = self._clock()
        with self._sessions.begin() as session:
            member = queries.upsert_member(session, person.user_id, name=person.name, tz=person.tz, now=now)
            member.team, member.level = data.team, data.level
            profile = session.get(MentorProfile, person.user_id)
            if profile is None:
                profile = MentorProfile(user_id=person.user_id, available=True, joined_at=now)
                session.add(profile)
            profile.bio = data.bio
            profile.windows = queries.windows_to_json(data.windows)
            profile.windows_customised = True
            profile.capacity_per_week = data.capacity_per_week
            profile.reverse_ok = data.reverse_ok
            profile.meeting_link = link
            profile.active, profile.updated_at = True, now
            session.flush()
            queries.set_mentor_topics(session, person.user_id, data.topics)
            session.flush()
            view = self._view(session, person.user_id)
            assert view is not None
            return view

    def set_available(self, person: Person, available: bool) -> ProfileView:
        with self._sessions.begin() as session:
            profile = self._active_profile(session, person.user_id)
            profile.available, profile.updated_at = available, self._clock()
            if available:
                profile.away_until = None
            return self._require_view(session, person.user_id)

    def set_away(
        self, person: Person, *, duration: timedelta | None = None, until_date: date | None = None
    ) -> ProfileView:
        """Away for a while or until a date (back that morning in their zone); neither: back now.

        Existing bookings stay either way.
        """
        now = self._clock()
        until: datetime | None = None
        if duration is not None:
            until = now + duration
        elif until_date is not None:
            until = datetime.combine(until_date, time(0, 0), tzinfo=ZoneInfo(person.tz)).astimezone(UTC)
            if until <= now:
                raise InvalidInput("That date is in the past: pick a future date, e.g. `/mentor away 14d`.")
        with self._sessions.begin() as session:
            profile = self._active_profile(session, person.user_id)
            profile.away_until, profile.updated_at = until, now
            return self._require_view(session, person.user_id)

    def leave_preview(self, person: Person) -> LeavePreview:
        now = self._clock()
        with self._sessions.begin() as session:
            self._active_profile(session, person.user_id)
            return _preview(session, person.user_id, now)

    def leave(self, person: Person) -> LeavePreview:
        """Off the register: pending requests are declined (askers told), confirmed ones stay.

        One transaction: a crash half-way leaves the mentor on the register with their requests, never
        off it with requests nobody will answer.
        """
        now = self._clock()
        with self._sessions.begin() as session:
            register = self._mentoring.asking.snapshot(session, now=now)  # before this transaction writes
            profile = self._active_profile(session, person.user_id)
            preview = _preview(session, person.user_id, now)
            profile.active, profile.updated_at = False, now
            for meeting in preview.pending:
                # A request answered meanwhile is no longer pending: nothing was written for it.
                with contextlib.suppress(Conflict):
                    self._mentoring.booking.decline_within(
                        session,
                        person,
                        meeting.id,
                        reason="left the mentor register",
                        register=register,
                        now=now,
                    )
            return preview

    # --- helpers ---

    def _active_profile(self, session: Session, user_id: str) -> MentorProfile:
        profile = session.get(MentorProfile, user_id)
        if profile is None or not profile.active:
            raise NotFound("You're not on the mentor register. Join with `/mentor join #topic`.")
        return profile

    def _require_view(self, session: Session, user_id: str) -> ProfileView:
        session.flush()
        view = self._view(session, user_id)
        assert view is not None
        return view

    def _view(self, session: Session, user_id: str) -> ProfileView | None:
        profile = session.get(MentorProfile, user_id)
        member = session.get(Member, user_id)
        if profile is None or member is None:
            return None
        return ProfileView(
            user_id=user_id,
            topics=tuple(queries.mentor_topics(session, user_id)),
            bio=profile.bio,
            windows=queries.windows_from_json(profile.windows),
            windows_customised=profile.windows_customised,
            capacity_per_week=profile.capacity_per_week,
            available=profile.available,
            away_until=profile.away_until,
            reverse_ok=profile.reverse_ok,
            active=profile.active,
            team=member.team,
            level=member.level,
            tz=member.tz,
            meeting_link=profile.meeting_link,
        )


def _preview(session: Session, mentor_id: str, now: datetime) -> LeavePreview:
    upcoming = [
        m
        for m in queries.meetings_of(session, mentor_id, statuses=queries.HOLDING, since=now)
        if m.mentor_id == mentor_id
    ]
    return LeavePreview(
        confirmed=tuple(m for m in upcoming if m.status == MeetingStatus.CONFIRMED),
        pending=tuple(m for m in upcoming if m.status == MeetingStatus.REQUESTED),
    )
