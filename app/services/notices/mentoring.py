"""The mentoring notices: requests, answers, confirmations, cancellations, feedback questions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, ClassVar, Self

from app.domain.calendar import CANCELLED_SEQUENCE, CONFIRMED_SEQUENCE, CalendarEvent, meeting_uid
from app.domain.model import SLOT_LENGTH
from app.services.notices.base import (
    Delivery,
    IfUnreachable,
    MentorGone,
    NoticeBase,
    Priority,
    ToOne,
    ids,
    parse_time,
)

# --- mentoring ---------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class MentorRequest(ToOne):
    """The mentor's request DM, with Accept and Decline."""

    kind: ClassVar[str] = "mentor_request"
    priority: ClassVar[Priority] = Priority.NOW
    meeting_id: int
    asker_id: str
    goal: str
    topics: tuple[str, ...]
    start: datetime
    tz: str
    expires_at: datetime
    lunch_at: str = ""  # a lunch (an hour, in person) at this office; "": the 15-minute talk

    @property
    def recipients(self) -> tuple[str, ...]:
        return ids(self.send_to, [self.asker_id])

    def if_unreachable(self, reachable: Sequence[str]) -> IfUnreachable:
        # The mentor left: free the slot and offer the asker others now, not at expiry.
        return IfUnreachable(then=MentorGone(self.meeting_id))

    def to_payload(self) -> dict[str, Any]:
        return {
            "to": self.to,
            "meeting_id": self.meeting_id,
            "asker_id": self.asker_id,
            "goal": self.goal,
            "topics": list(self.topics),
            "start": self.start.isoformat(),
            "tz": self.tz,
            "expires_at": self.expires_at.isoformat(),
            **({"lunch_at": self.lunch_at} if self.lunch_at else {}),
        }

    @classmethod
    def from_payload(cls, p: Mapping[str, Any], *, key: str) -> MentorRequest:
        return cls(
            key=key,
            to=p["to"],
            meeting_id=int(p["meeting_id"]),
            asker_id=p["asker_id"],
            goal=p["goal"],
            topics=tuple(p["topics"]),
            start=parse_time(p["start"]),
            tz=p["tz"],
            expires_at=parse_time(p["expires_at"]),
            lunch_at=str(p.get("lunch_at") or ""),
        )


@dataclass(frozen=True, kw_only=True)
class RequestClosed(NoticeBase):
    """Replaces the mentor's request DM once it is answered, so its buttons are gone."""

    kind: ClassVar[str] = "request_closed"
    priority: ClassVar[Priority] = Priority.NOW
    delivery: ClassVar[Delivery] = Delivery.UPDATE
    update_of: str
    meeting_id: int
    asker_id: str
    why: str

    @property
    def send_to(self) -> tuple[str, ...]:
        return ()  # it posts nothing: it edits the message ``update_of`` left

    @property
    def recipients(self) -> tuple[str, ...]:
        return (self.asker_id,)  # the mentor, whose DM it edits, is named by the request it updates

    @property
    def updates(self) -> str | None:
        return self.update_of

    def to_payload(self) -> dict[str, Any]:
        return {
            "update_of": self.update_of,
            "meeting_id": self.meeting_id,
            "asker_id": self.asker_id,
            "why": self.why,
        }

    @classmethod
    def from_payload(cls, p: Mapping[str, Any], *, key: str) -> RequestClosed:
        return cls(
            key=key,
            update_of=p["update_of"],
            meeting_id=int(p["meeting_id"]),
            asker_id=p["asker_id"],
            why=p["why"],
        )


@dataclass(frozen=True, kw_only=True)
class Confirmation(NoticeBase):
    """ "You're booked", to the asker and the mentor together."""

    kind: ClassVar[str] = "confirmation"
    priority: ClassVar[Priority] = Priority.NOW
    users: tuple[str, ...]
    asker_id: str
    mentor_id: str
    meeting_id: int
    goal: str
    topics: tuple[str, ...]
    start: datetime
    tzs: Mapping[str, str]
    at: datetime | None = None  # when it was confirmed (rows queued before it was carried have none)
    link: str = ""  # the mentor's own meeting link; empty: they meet in the group DM
    lunch_at: str = ""  # a lunch: the office it is at (in person, ``minutes`` long)
    minutes: int = 0  # 0: the 15-minute conversation

    @property
    def send_to(self) -> tuple[str, ...]:
        return self.users

    @property
    def recipients(self) -> tuple[str, ...]:
        return ids(self.users, [self.asker_id, self.mentor_id])

    def attachment(self) -> CalendarEvent | None:
        return CalendarEvent(
            uid=meeting_uid(self.meeting_id),
            sequence=CONFIRMED_SEQUENCE,
            start=self.start,
            length=timedelta(minutes=self.minutes) if self.minutes else SLOT_LENGTH,
            goal=self.goal,
            stamp=self.at or self.start,
            location=(f"{self.lunch_at} (in person)" if self.lunch_at else self.link) or None,
        )

    def to_payload(self) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "users": list(self.users),
            "asker_id": self.asker_id,
            "mentor_id": self.mentor_id,
            "meeting_id": self.meeting_id,
            "goal": self.goal,
            "topics": list(self.topics),
            "start": self.start.isoformat(),
            "tzs": dict(self.tzs),
        }
        if self.at is not None:
            payload["at"] = self.at.isoformat()
        if self.link:
            payload["link"] = self.link
        if self.lunch_at:
            payload["lunch_at"], payload["minutes"] = self.lunch_at, self.minutes
        return payload

    @classmethod
    def from_payload(cls, p: Mapping[str, Any], *, key: str) -> Confirmation:
        return cls(
            key=key,
            users=tuple(p["users"]),
            asker_id=p["asker_id"],
            mentor_id=p["mentor_id"],
            meeting_id=int(p["meeting_id"]),
            goal=p["goal"],
            topics=tuple(p["topics"]),
            start=parse_time(p["start"]),
            tzs=dict(p["tzs"]),
            at=parse_time(p["at"]) if p.get("at") else None,
            link=str(p.get("link") or ""),
            lunch_at=str(p.get("lunch_at") or ""),
            minutes=int(p.get("minutes") or 0),
        )


@dataclass(frozen=True, slots=True)
class MentorOption:
    """Another mentor offered after a request fell through, with their free slots."""

    mentor_id: str
    matched: tuple[str, ...]
    slots: tuple[datetime, ...]


@dataclass(frozen=True, kw_only=True)
class _FellThrough(ToOne):
    """The asker's request will not happen; here are other mentors (re-checked when clicked)."""

    priority: ClassVar[Priority] = Priority.NOW
    meeting_id: int
    mentor_id: str
    ask_id: int
    goal: str
    start: datetime
    reason: str
    tz: str
    options: tuple[MentorOption, ...]
    topic_matched: bool

    @property
    def recipients(self) -> tuple[str, ...]:
        return ids(self.send_to, [self.mentor_id], [o.mentor_id for o in self.options])

    def to_payload(self) -> dict[str, Any]:
        return {
            "to": self.to,
            "meeting_id": self.meeting_id,
            "mentor_id": self.mentor_id,
            "ask_id": self.ask_id,
            "goal": self.goal,
            "start": self.start.isoformat(),
            "reason": self.reason,
            "tz": self.tz,
            "options": [
                {
                    "mentor_id": o.mentor_id,
                    "matched": list(o.matched),
                    "slots": [s.isoformat() for s in o.slots],
                }
                for o in self.options
            ],
            "topic_matched": self.topic_matched,
        }

    @classmethod
    def from_payload(cls, p: Mapping[str, Any], *, key: str) -> Self:
        return cls(
            key=key,
            to=p["to"],
            meeting_id=int(p["meeting_id"]),
            mentor_id=p["mentor_id"],
            ask_id=int(p["ask_id"]),
            goal=p["goal"],
            start=parse_time(p["start"]),
            reason=p.get("reason") or "",
            tz=p["tz"],
            options=tuple(
                MentorOption(o["mentor_id"], tuple(o["matched"]), tuple(parse_time(s) for s in o["slots"]))
                for o in p["options"]
            ),
            topic_matched=bool(p.get("topic_matched", True)),
        )


@dataclass(frozen=True, kw_only=True)
class RequestDeclined(_FellThrough):
    kind: ClassVar[str] = "request_declined"


@dataclass(frozen=True, kw_only=True)
class RequestExpired(_FellThrough):
    kind: ClassVar[str] = "request_expired"


@dataclass(frozen=True, kw_only=True)
class MeetingCancelled(ToOne):
    """The other side called the conversation off."""

    kind: ClassVar[str] = "meeting_cancelled"
    priority: ClassVar[Priority] = Priority.NOW
    by: str
    meeting_id: int
    goal: str
    start: datetime
    tz: str
    ask_id: int
    by_mentor: bool
    # It had been confirmed, so it is on calendars (with a calendar file since this was carried: a row
    # queued before says False, and its confirmation had sent no file to take back).
    confirmed: bool = False
    at: datetime | None = None  # when it was cancelled

    @property
    def recipients(self) -> tuple[str, ...]:
        return ids(self.send_to, [self.by])

    def attachment(self) -> CalendarEvent | None:
        if not self.confirmed:
            return None  # a request still waiting for the mentor is on nobody's calendar
        return CalendarEvent(
            uid=meeting_uid(self.meeting_id),
            sequence=CANCELLED_SEQUENCE,
            start=self.start,
            length=SLOT_LENGTH,
            goal=self.goal,
            stamp=self.at or self.start,
            cancelled=True,
        )

    def to_payload(self) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "to": self.to,
            "by": self.by,
            "meeting_id": self.meeting_id,
            "goal": self.goal,
            "start": self.start.isoformat(),
            "tz": self.tz,
            "ask_id": self.ask_id,
            "by_mentor": self.by_mentor,
        }
        if self.confirmed:  # rows before the calendar file never carried these
            payload["confirmed"] = True
        if self.at is not None:
            payload["at"] = self.at.isoformat()
        return payload

    @classmethod
    def from_payload(cls, p: Mapping[str, Any], *, key: str) -> MeetingCancelled:
        return cls(
            key=key,
            to=p["to"],
            by=p["by"],
            meeting_id=int(p["meeting_id"]),
            goal=p["goal"],
            start=parse_time(p["start"]),
            tz=p["tz"],
            ask_id=int(p["ask_id"]),
            by_mentor=bool(p.get("by_mentor")),
            confirmed=bool(p.get("confirmed")),
            at=parse_time(p["at"]) if p.get("at") else None,
        )


@dataclass(frozen=True, kw_only=True)
class FeedbackQuestion(ToOne):
    """ "How did it go?" after a conversation, and its one reminder."""

    kind: ClassVar[str] = "feedback_question"
    meeting_id: int
    role: str  # "asker" | "mentor"
    other_id: str
    goal: str
    start: datetime
    tz: str
    reminder: bool = False

    @property
    def recipients(self) -> tuple[str, ...]:
        return ids(self.send_to, [self.other_id])

    def to_payload(self) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "to": self.to,
            "meeting_id": self.meeting_id,
            "role": self.role,
            "other_id": self.other_id,
            "goal": self.goal,
            "start": self.start.isoformat(),
            "tz": self.tz,
        }
        if self.reminder:  # the first question never carried the flag
            payload["reminder"] = True
        return payload

    @classmethod
    def from_payload(cls, p: Mapping[str, Any], *, key: str) -> FeedbackQuestion:
        return cls(
            key=key,
            to=p["to"],
            meeting_id=int(p["meeting_id"]),
            role=p["role"],
            other_id=p["other_id"],
            goal=p["goal"],
            start=parse_time(p["start"]),
            tz=p["tz"],
            reminder=bool(p.get("reminder")),
        )
