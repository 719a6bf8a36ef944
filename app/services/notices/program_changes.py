"""Programs' notices once a session is on the calendar: moved (a new file, SEQUENCE raised), skipped
(a cancelling file when it was booked), the mentor asked for an agenda and the mentee shown it (and the
session's message updated), a pair behind schedule nudged once and their coach told, and a partner
told kindly that the other left the workspace."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import Any, ClassVar, Self

from app.domain.calendar import CONFIRMED_SEQUENCE, CalendarEvent
from app.services.notices.base import Delivery, NoticeBase, Priority, ToOne, ids, parse_time
from app.services.notices.program_sessions import SessionBooked, _PairSession, program_session_uid


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _read_time(value: Any) -> datetime | None:
    return parse_time(value) if value else None


@dataclass(frozen=True, kw_only=True)
class ProgramSessionMoved(SessionBooked):
    """The pair's group DM: ``moved_by`` moved the session to ``start``; a new calendar file follows."""

    kind: ClassVar[str] = "program_session_moved"
    priority: ClassVar[Priority] = Priority.NOW  # after a person's own choice


@dataclass(frozen=True, kw_only=True)
class SessionAgendaSet(SessionBooked):
    """Edits the session's message (booked or moved, ``update_of``) to show the mentor's agenda."""

    kind: ClassVar[str] = "program_session_agenda"
    delivery: ClassVar[Delivery] = Delivery.UPDATE
    update_of: str = ""

    @property
    def send_to(self) -> tuple[str, ...]:
        return ()  # it posts nothing: it edits the message ``update_of`` left

    @property
    def recipients(self) -> tuple[str, ...]:
        return (self.mentor_id, self.mentee_id)

    @property
    def updates(self) -> str | None:
        return self.update_of

    def attachment(self) -> CalendarEvent | None:
        return None

    def to_payload(self) -> dict[str, Any]:
        return {**super().to_payload(), "update_of": self.update_of}

    @classmethod
    def from_payload(cls, p: Mapping[str, Any], *, key: str) -> Self:
        booked = SessionBooked.from_payload(p, key=key)
        read = {f.name: getattr(booked, f.name) for f in fields(booked)}
        return cls(**read, update_of=p["update_of"])


@dataclass(frozen=True, kw_only=True)
class SessionSkipped(_PairSession):
    """The pair's group DM: ``skipped_by`` skipped the session; ``next_at`` the next one's proposal
    (None: it was the last). ``start``: it was booked, so a cancelling calendar file follows."""

    kind: ClassVar[str] = "program_session_skipped"
    priority: ClassVar[Priority] = Priority.NOW
    skipped_by: str
    next_at: datetime | None
    start: datetime | None
    moves: int
    at: datetime

    def attachment(self) -> CalendarEvent | None:
        if self.start is None:
            return None
        return CalendarEvent(
            uid=program_session_uid(self.session_id),
            sequence=CONFIRMED_SEQUENCE + self.moves + 1,
            start=self.start,
            length=timedelta(minutes=self.minutes),
            goal=f"{self.program}: mentoring session {self.number} of {self.of}",
            stamp=self.at,
            cancelled=True,
        )

    def to_payload(self) -> dict[str, Any]:
        return {
            **self._base(),
            "skipped_by": self.skipped_by,
            "next_at": _time(self.next_at),
            "start": _time(self.start),
            "moves": self.moves,
            "at": self.at.isoformat(),
        }

    @classmethod
    def from_payload(cls, p: Mapping[str, Any], *, key: str) -> Self:
        return cls(
            key=key,
            skipped_by=p["skipped_by"],
            next_at=_read_time(p.get("next_at")),
            start=_read_time(p.get("start")),
            moves=int(p.get("moves") or 0),
            at=parse_time(p["at"]),
            **cls._read(p),
        )


@dataclass(frozen=True, kw_only=True)
class AgendaAsked(ToOne):
    """To the mentor, two days before: set the agenda (a button opens a short form)."""

    kind: ClassVar[str] = "program_agenda_asked"
    session_id: int
    program: str
    number: int
    start: datetime
    tz: str
    mentee_id: str

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
            "tz": self.tz,
            "mentee_id": self.mentee_id,
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
            tz=p["tz"],
            mentee_id=p["mentee_id"],
        )


@dataclass(frozen=True, kw_only=True)
class AgendaShared(ToOne):
    """To the mentee: the agenda their mentor set (``version`` > 1: changed since)."""

    kind: ClassVar[str] = "program_agenda_shared"
    session_id: int
    program: str
    number: int
    start: datetime
    tz: str
    mentor_id: str
    agenda: str
    version: int

    @property
    def recipients(self) -> tuple[str, ...]:
        return ids([self.to], [self.mentor_id])

    def to_payload(self) -> dict[str, Any]:
        return {
            "to": self.to,
            "session_id": self.session_id,
            "program": self.program,
            "number": self.number,
            "start": self.start.isoformat(),
            "tz": self.tz,
            "mentor_id": self.mentor_id,
            "agenda": self.agenda,
            "version": self.version,
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
            tz=p["tz"],
            mentor_id=p["mentor_id"],
            agenda=p["agenda"],
            version=int(p["version"]),
        )


@dataclass(frozen=True, kw_only=True)
class PairBehind(NoticeBase):
    """The pair's one nudge: session ``number`` wasn't held in its window; ``next_at`` the next
    proposal (None: it was the last, or the next is proposed already)."""

    kind: ClassVar[str] = "program_pair_behind"
    program: str
    mentor_id: str
    mentee_id: str
    number: int
    next_at: datetime | None

    @property
    def send_to(self) -> tuple[str, ...]:
        return (self.mentor_id, self.mentee_id)

    def to_payload(self) -> dict[str, Any]:
        return {
            "program": self.program,
            "mentor_id": self.mentor_id,
            "mentee_id": self.mentee_id,
            "number": self.number,
            "next_at": _time(self.next_at),
        }

    @classmethod
    def from_payload(cls, p: Mapping[str, Any], *, key: str) -> Self:
        return cls(
            key=key,
            program=p["program"],
            mentor_id=p["mentor_id"],
            mentee_id=p["mentee_id"],
            number=int(p["number"]),
            next_at=_read_time(p.get("next_at")),
        )


@dataclass(frozen=True, kw_only=True)
class CoachBehind(ToOne):
    """To the pair's coach: they missed ``missed`` sessions. Never a note or a rating."""

    kind: ClassVar[str] = "program_coach_behind"
    program: str
    mentor_id: str
    mentee_id: str
    missed: int

    @property
    def recipients(self) -> tuple[str, ...]:
        return ids([self.to], [self.mentor_id, self.mentee_id])

    def to_payload(self) -> dict[str, Any]:
        return {
            "to": self.to,
            "program": self.program,
            "mentor_id": self.mentor_id,
            "mentee_id": self.mentee_id,
            "missed": self.missed,
        }

    @classmethod
    def from_payload(cls, p: Mapping[str, Any], *, key: str) -> Self:
        return cls(
            key=key,
            to=p["to"],
            program=p["program"],
            mentor_id=p["mentor_id"],
            mentee_id=p["mentee_id"],
            missed=int(p["missed"]),
        )


@dataclass(frozen=True, kw_only=True)
class PartnerLeft(ToOne):
    """To the one still here: their partner (``gone_id``) left the workspace, so the pairing ends."""

    kind: ClassVar[str] = "program_partner_left"
    program: str
    gone_id: str

    @property
    def recipients(self) -> tuple[str, ...]:
        return ids([self.to], [self.gone_id])

    def to_payload(self) -> dict[str, Any]:
        return {"to": self.to, "program": self.program, "gone_id": self.gone_id}

    @classmethod
    def from_payload(cls, p: Mapping[str, Any], *, key: str) -> Self:
        return cls(key=key, to=p["to"], program=p["program"], gone_id=p["gone_id"])
