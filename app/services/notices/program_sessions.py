"""Programs' session notices: the proposal of three times (the pair's group DM; the mentee picks), the
mentor's confirmation request, and the booked session (calendar file) or its day-before reminder."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, ClassVar, Self

from app.domain.calendar import CONFIRMED_SEQUENCE, CalendarEvent
from app.services.notices.base import NoticeBase, ToOne, ids, parse_time


def program_session_uid(session_id: int) -> str:
    return f"program-session-{session_id}@mentorbot"


@dataclass(frozen=True, kw_only=True)
class _PairSession(NoticeBase):
    session_id: int
    program: str
    number: int
    of: int
    minutes: int
    mentor_id: str
    mentee_id: str
    mentor_tz: str
    mentee_tz: str

    @property
    def send_to(self) -> tuple[str, ...]:
        return (self.mentor_id, self.mentee_id)

    def _base(self) -> dict[str, Any]:
        return {
            "session_id": self.session_id,
            "program": self.program,
            "number": self.number,
            "of": self.of,
            "minutes": self.minutes,
            "mentor_id": self.mentor_id,
            "mentee_id": self.mentee_id,
            "mentor_tz": self.mentor_tz,
            "mentee_tz": self.mentee_tz,
        }

    @staticmethod
    def _read(p: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "session_id": int(p["session_id"]),
            "program": p["program"],
            "number": int(p["number"]),
            "of": int(p["of"]),
            "minutes": int(p["minutes"]),
            "mentor_id": p["mentor_id"],
            "mentee_id": p["mentee_id"],
            "mentor_tz": p["mentor_tz"],
            "mentee_tz": p["mentee_tz"],
        }


@dataclass(frozen=True, kw_only=True)
class SessionProposed(_PairSession):
    """Three times inside both people's working days for session ``number``; the mentee picks one."""

    kind: ClassVar[str] = "program_session_proposed"
    slots: tuple[datetime, ...]

    def to_payload(self) -> dict[str, Any]:
        return {**self._base(), "slots": [s.isoformat() for s in self.slots]}

    @classmethod
    def from_payload(cls, p: Mapping[str, Any], *, key: str) -> Self:
        return cls(key=key, slots=tuple(parse_time(s) for s in p["slots"]), **cls._read(p))


@dataclass(frozen=True, kw_only=True)
class SessionPicked(ToOne):
    """Told to the mentor: the mentee picked ``start``; Confirm puts it on both calendars."""

    kind: ClassVar[str] = "program_session_picked"
    session_id: int
    program: str
    number: int
    start: datetime
    minutes: int
    mentee_id: str
    tz: str

    @property
    def recipients(self) -> tuple[str, ...]:
        return ids([self.to], [self.mentee_id])

    def to_payload(self) -> dict[str, Any]:
        return {
            "to": self.to,
            "session_id": self.session_id,
            "program": self.program,
            "number": self.number,
            "start": self.start.isoformat(),
            "minutes": self.minutes,
            "mentee_id": self.mentee_id,
            "tz": self.tz,
        }

    @classmethod
    def from_payload(cls, p: Mapping[str, Any], *, key: str) -> Self:
        return cls(
            key=key,
            to=p["to"],
            session_id=int(p["session_id"]),
            program=p["program"],
            number=int(p["number"]),
            start=parse_time(p["start"]),
            minutes=int(p["minutes"]),
            mentee_id=p["mentee_id"],
            tz=p["tz"],
        )


@dataclass(frozen=True, kw_only=True)
class SessionBooked(_PairSession):
    """The confirmed session, with calendar links and a ``.ics`` file; or (``reminder``) the reminder
    the day before, without a second file."""

    kind: ClassVar[str] = "program_session_booked"
    start: datetime
    at: datetime
    reminder: bool = False
    agenda: str = ""  # the mentor's, once set (shown in the message and the reminder)
    moves: int = 0  # how often it was moved: the calendar file's SEQUENCE
    moved_by: str = ""  # who moved it last

    def attachment(self) -> CalendarEvent | None:
        if self.reminder:
            return None
        return CalendarEvent(
            uid=program_session_uid(self.session_id),
            sequence=CONFIRMED_SEQUENCE + self.moves,
            start=self.start,
            length=timedelta(minutes=self.minutes),
            goal=f"{self.program}: mentoring session {self.number} of {self.of}",
            stamp=self.at,
        )

    def to_payload(self) -> dict[str, Any]:
        return {
            **self._base(),
            "start": self.start.isoformat(),
            "at": self.at.isoformat(),
            "reminder": self.reminder,
            "agenda": self.agenda,
            "moves": self.moves,
            "moved_by": self.moved_by,
        }

    @classmethod
    def from_payload(cls, p: Mapping[str, Any], *, key: str) -> Self:
        return cls(
            key=key,
            start=parse_time(p["start"]),
            at=parse_time(p["at"]),
            reminder=bool(p.get("reminder")),
            agenda=str(p.get("agenda") or ""),
            moves=int(p.get("moves") or 0),
            moved_by=str(p.get("moved_by") or ""),
            **cls._read(p),
        )


@dataclass(frozen=True, kw_only=True)
class ProgramCheckIn(ToOne):
    """After a session, to each of the two: did it happen, a 1-5 rating, a note only they read."""

    kind: ClassVar[str] = "program_session_check_in"
    session_id: int
    program: str
    number: int
    partner_id: str

    @property
    def recipients(self) -> tuple[str, ...]:
        return ids([self.to], [self.partner_id])

    def to_payload(self) -> dict[str, Any]:
        return {
            "to": self.to,
            "session_id": self.session_id,
            "program": self.program,
            "number": self.number,
            "partner_id": self.partner_id,
        }

    @classmethod
    def from_payload(cls, p: Mapping[str, Any], *, key: str) -> Self:
        return cls(
            key=key,
            to=p["to"],
            session_id=int(p["session_id"]),
            program=p["program"],
            number=int(p["number"]),
            partner_id=p["partner_id"],
        )
