"""The hosted sessions' notices: you have a seat, a seat that came free went to you, the host cancelled.

A seat's notices carry the session's calendar event (``attachment``): one UID per session, its
``sequence`` rising each time it moves, so calendars keep the newest; a cancellation sends a CANCEL to
those who had a seat (someone only waiting never had it on their calendar)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, ClassVar, Self

from app.domain.calendar import CalendarEvent, session_uid
from app.services.notices.base import NoticeBase, Priority, ToOne, ids, parse_time


@dataclass(frozen=True, kw_only=True)
class AboutASession(ToOne):
    session_id: int
    host_id: str
    title: str
    start: datetime
    tz: str  # the recipient's zone, to show the time in
    # For the calendar (rows stored before these existed decode with the defaults, and go without one):
    minutes: int = 0
    where: str = ""  # "online: https://…", "Berlin, room 3"
    about: str = ""  # the host's description
    sequence: int = 0  # the session's revision (it rises each time it moves)
    at: datetime | None = None  # when this was decided: the calendar's DTSTAMP
    on_calendar: bool = False  # whether this notice carries the calendar event (a seat's do)

    @property
    def recipients(self) -> tuple[str, ...]:
        return ids(self.send_to, [self.host_id])

    def calendar_event(self, *, cancelled: bool = False) -> CalendarEvent | None:
        if not self.on_calendar or self.minutes <= 0:
            return None
        return CalendarEvent(
            uid=session_uid(self.session_id),
            sequence=self.sequence,
            start=self.start,
            length=timedelta(minutes=self.minutes),
            goal=self.about,
            stamp=self.at or self.start,
            cancelled=cancelled,
            title=self.title,
            location=self.where or None,
        )

    def to_payload(self) -> dict[str, Any]:
        return {
            "to": self.to,
            "session_id": self.session_id,
            "host_id": self.host_id,
            "title": self.title,
            "start": self.start.isoformat(),
            "tz": self.tz,
            "minutes": self.minutes,
            "where": self.where,
            "about": self.about,
            "sequence": self.sequence,
            "at": self.at.isoformat() if self.at else None,
            "on_calendar": self.on_calendar,
        }

    @classmethod
    def from_payload(cls, p: Mapping[str, Any], *, key: str) -> Self:
        return cls(
            key=key,
            to=p["to"],
            session_id=int(p["session_id"]),
            host_id=p["host_id"],
            title=p["title"],
            start=parse_time(p["start"]),
            tz=p["tz"],
            minutes=int(p.get("minutes") or 0),
            where=str(p.get("where") or ""),
            about=str(p.get("about") or ""),
            sequence=int(p.get("sequence") or 0),
            at=parse_time(p["at"]) if p.get("at") else None,
            on_calendar=bool(p.get("on_calendar")),
        )


@dataclass(frozen=True, kw_only=True)
class SeatConfirmed(AboutASession):
    """A Join took a seat: the person's DM gets the session with its calendar links and file."""

    kind: ClassVar[str] = "session_seat_confirmed"
    priority: ClassVar[Priority] = Priority.NOW

    def attachment(self) -> CalendarEvent | None:
        return self.calendar_event()


@dataclass(frozen=True, kw_only=True)
class SeatOffered(AboutASession):
    """Someone left a full session: the first on its waitlist is offered their seat, held for them
    until ``until`` (Take it / Pass); it reaches their calendar once they take it."""

    kind: ClassVar[str] = "session_seat_offered"
    priority: ClassVar[Priority] = Priority.NOW
    until: datetime | None = None

    def attachment(self) -> CalendarEvent | None:
        return self.calendar_event()

    def with_until(self, until: datetime) -> SeatOffered:
        return replace(self, until=until)

    def to_payload(self) -> dict[str, Any]:
        return {**super().to_payload(), "until": self.until.isoformat() if self.until else None}

    @classmethod
    def from_payload(cls, p: Mapping[str, Any], *, key: str) -> Self:
        offered = super().from_payload(p, key=key)
        return replace(offered, until=parse_time(p["until"]) if p.get("until") else None)


@dataclass(frozen=True, kw_only=True)
class SeatOfferLapsed(AboutASession):
    """The time to take an offered seat ran out: it went to the next person waiting (or back to open),
    and the one it was held for is told so, kindly, with where to find other sessions."""

    kind: ClassVar[str] = "session_seat_offer_lapsed"
    priority: ClassVar[Priority] = Priority.BULK


@dataclass(frozen=True, kw_only=True)
class SessionCancelled(AboutASession):
    """The host called the session off: each person with a seat or on the waitlist is told."""

    kind: ClassVar[str] = "session_cancelled"
    priority: ClassVar[Priority] = Priority.NOW

    def attachment(self) -> CalendarEvent | None:
        # Only a seat was on the person's calendar (``on_calendar``); the cancel is the revision after
        # the last one (``sequence``, set by the service).
        return self.calendar_event(cancelled=True)


@dataclass(frozen=True, kw_only=True)
class SessionReminder(AboutASession):
    """The one reminder, the morning of the session on the person's clock (host and seat holders)."""

    kind: ClassVar[str] = "session_reminder"
    priority: ClassVar[Priority] = Priority.BULK


@dataclass(frozen=True, kw_only=True)
class SessionMoved(AboutASession):
    """The host moved the session (``start`` is the new time, ``was`` the old): each person with a seat
    gets the calendar's next revision, those waiting are told."""

    kind: ClassVar[str] = "session_moved"
    priority: ClassVar[Priority] = Priority.NOW
    was: datetime | None = None

    def attachment(self) -> CalendarEvent | None:
        return self.calendar_event()

    def to_payload(self) -> dict[str, Any]:
        return {**super().to_payload(), "was": self.was.isoformat() if self.was else None}

    @classmethod
    def from_payload(cls, p: Mapping[str, Any], *, key: str) -> Self:
        moved = super().from_payload(p, key=key)
        return replace(moved, was=parse_time(p["was"]) if p.get("was") else None)


@dataclass(frozen=True, kw_only=True)
class SessionCheckIn(NoticeBase):
    """A coworking session's check-in prompt, every 30 minutes while it runs, in its group DM."""

    kind: ClassVar[str] = "session_check_in"
    users: tuple[str, ...]
    session_id: int
    host_id: str
    title: str
    number: int  # the first comes 30 minutes in
    minutes_left: int

    @property
    def send_to(self) -> tuple[str, ...]:
        return self.users

    @property
    def recipients(self) -> tuple[str, ...]:
        return ids(self.users, [self.host_id])

    def to_payload(self) -> dict[str, Any]:
        return {
            "users": list(self.users),
            "session_id": self.session_id,
            "host_id": self.host_id,
            "title": self.title,
            "number": self.number,
            "minutes_left": self.minutes_left,
        }

    @classmethod
    def from_payload(cls, p: Mapping[str, Any], *, key: str) -> Self:
        return cls(
            key=key,
            users=tuple(p["users"]),
            session_id=int(p["session_id"]),
            host_id=p["host_id"],
            title=p["title"],
            number=int(p["number"]),
            minutes_left=int(p["minutes_left"]),
        )


@dataclass(frozen=True, kw_only=True)
class SessionGathering(NoticeBase):
    """An hour before a session: its group DM, the host and everyone with a seat (8 at most), with the
    time in each one's zone and where they meet."""

    kind: ClassVar[str] = "session_gathering"
    users: tuple[str, ...]
    session_id: int
    host_id: str
    title: str
    start: datetime
    minutes: int
    where: str  # "the host's link https://…", "the group DM", "Berlin, room 3"
    tzs: Mapping[str, str]

    @property
    def send_to(self) -> tuple[str, ...]:
        return self.users

    @property
    def recipients(self) -> tuple[str, ...]:
        return ids(self.users, [self.host_id])

    def to_payload(self) -> dict[str, Any]:
        return {
            "users": list(self.users),
            "session_id": self.session_id,
            "host_id": self.host_id,
            "title": self.title,
            "start": self.start.isoformat(),
            "minutes": self.minutes,
            "where": self.where,
            "tzs": dict(self.tzs),
        }

    @classmethod
    def from_payload(cls, p: Mapping[str, Any], *, key: str) -> Self:
        return cls(
            key=key,
            users=tuple(p["users"]),
            session_id=int(p["session_id"]),
            host_id=p["host_id"],
            title=p["title"],
            start=parse_time(p["start"]),
            minutes=int(p["minutes"]),
            where=p["where"],
            tzs=dict(p.get("tzs") or {}),
        )


@dataclass(frozen=True, kw_only=True)
class SessionFeedbackQuestion(AboutASession):
    """At a session's end, once, to each seat holder: did you attend, a rating, did you get what you came
    for (the host is not asked)."""

    kind: ClassVar[str] = "session_feedback_question"
    priority: ClassVar[Priority] = Priority.BULK


@dataclass(frozen=True, kw_only=True)
class SessionRatingForHost(ToOne):
    """Once at least three people rated a session: its average, to the host (never who gave what)."""

    kind: ClassVar[str] = "session_rating_for_host"
    priority: ClassVar[Priority] = Priority.BULK
    session_id: int
    title: str
    average: float
    ratings: int

    def to_payload(self) -> dict[str, Any]:
        return {
            "to": self.to,
            "session_id": self.session_id,
            "title": self.title,
            "average": self.average,
            "ratings": self.ratings,
        }

    @classmethod
    def from_payload(cls, p: Mapping[str, Any], *, key: str) -> Self:
        return cls(
            key=key,
            to=p["to"],
            session_id=int(p["session_id"]),
            title=p["title"],
            average=float(p["average"]),
            ratings=int(p["ratings"]),
        )
