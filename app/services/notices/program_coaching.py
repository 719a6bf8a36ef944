"""Programs' coaching and end-of-wave notices: a coach's weekly digest of their pairs, a prompt to
check in with one mentor (and the check-in sent to the mentor from the coach), and the end-of-wave
survey (or its one reminder). Never notes or ratings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, Self

from app.services.notices.base import ToOne, ids, parse_time


@dataclass(frozen=True, slots=True)
class DigestLine:
    """One pair in a coach's digest: sessions held of those due, the next one (if booked)."""

    mentor_id: str
    mentee_id: str
    held: int
    due: int
    next_start: datetime | None
    ended: bool = False

    @property
    def behind(self) -> bool:
        return not self.ended and self.held < self.due

    def to_payload(self) -> dict[str, Any]:
        return {
            "mentor_id": self.mentor_id,
            "mentee_id": self.mentee_id,
            "held": self.held,
            "due": self.due,
            "next_start": self.next_start.isoformat() if self.next_start else None,
            "ended": self.ended,
        }

    @classmethod
    def from_payload(cls, p: Mapping[str, Any]) -> DigestLine:
        start = p.get("next_start")
        return cls(
            mentor_id=p["mentor_id"],
            mentee_id=p["mentee_id"],
            held=int(p["held"]),
            due=int(p["due"]),
            next_start=parse_time(start) if start else None,
            ended=bool(p.get("ended")),
        )


@dataclass(frozen=True, kw_only=True)
class CoachDigest(ToOne):
    """A coach's private weekly digest of the pairs they support in a program."""

    kind: ClassVar[str] = "program_coach_digest"
    program: str
    of: int  # the program's number of sessions
    tz: str  # the coach's time zone, for the next sessions' times
    lines: tuple[DigestLine, ...]

    @property
    def recipients(self) -> tuple[str, ...]:
        return ids([self.to], [u for line in self.lines for u in (line.mentor_id, line.mentee_id)])

    def to_payload(self) -> dict[str, Any]:
        return {
            "to": self.to,
            "program": self.program,
            "of": self.of,
            "tz": self.tz,
            "lines": [line.to_payload() for line in self.lines],
        }

    @classmethod
    def from_payload(cls, p: Mapping[str, Any], *, key: str) -> Self:
        return cls(
            key=key,
            to=p["to"],
            program=p["program"],
            of=int(p["of"]),
            tz=p["tz"],
            lines=tuple(DigestLine.from_payload(x) for x in p["lines"]),
        )


@dataclass(frozen=True, kw_only=True)
class CoachPrompt(ToOne):
    """To a coach: time to reach out to one mentor (prompt ``k`` of three in the wave)."""

    kind: ClassVar[str] = "program_coach_prompt"
    pair_id: int
    program: str
    mentor_id: str
    mentee_id: str
    held: int
    due: int
    k: int

    @property
    def recipients(self) -> tuple[str, ...]:
        return ids([self.to], [self.mentor_id, self.mentee_id])

    def to_payload(self) -> dict[str, Any]:
        return {
            "to": self.to,
            "pair_id": self.pair_id,
            "program": self.program,
            "mentor_id": self.mentor_id,
            "mentee_id": self.mentee_id,
            "held": self.held,
            "due": self.due,
            "k": self.k,
        }

    @classmethod
    def from_payload(cls, p: Mapping[str, Any], *, key: str) -> Self:
        return cls(
            key=key,
            to=p["to"],
            pair_id=int(p["pair_id"]),
            program=p["program"],
            mentor_id=p["mentor_id"],
            mentee_id=p["mentee_id"],
            held=int(p["held"]),
            due=int(p["due"]),
            k=int(p["k"]),
        )


@dataclass(frozen=True, kw_only=True)
class CoachCheckIn(ToOne):
    """To a mentor, from their coach (who pressed "Ask them from me" on a prompt): how is it going?"""

    kind: ClassVar[str] = "program_coach_check_in"
    program: str
    coach_id: str
    mentee_id: str

    @property
    def recipients(self) -> tuple[str, ...]:
        return ids([self.to], [self.coach_id, self.mentee_id])

    def to_payload(self) -> dict[str, Any]:
        return {
            "to": self.to,
            "program": self.program,
            "coach_id": self.coach_id,
            "mentee_id": self.mentee_id,
        }

    @classmethod
    def from_payload(cls, p: Mapping[str, Any], *, key: str) -> Self:
        return cls(
            key=key, to=p["to"], program=p["program"], coach_id=p["coach_id"], mentee_id=p["mentee_id"]
        )


@dataclass(frozen=True, kw_only=True)
class WaveSurvey(ToOne):
    """The end-of-wave survey's invitation (a button opens the modal), or its one reminder."""

    kind: ClassVar[str] = "program_wave_survey"
    wave_id: int
    program: str
    number: int  # the wave's
    reminder: bool = False

    def to_payload(self) -> dict[str, Any]:
        return {
            "to": self.to,
            "wave_id": self.wave_id,
            "program": self.program,
            "number": self.number,
            "reminder": self.reminder,
        }

    @classmethod
    def from_payload(cls, p: Mapping[str, Any], *, key: str) -> Self:
        return cls(
            key=key,
            to=p["to"],
            wave_id=int(p["wave_id"]),
            program=p["program"],
            number=int(p["number"]),
            reminder=bool(p.get("reminder")),
        )
