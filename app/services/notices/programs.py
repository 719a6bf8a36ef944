"""Programs' notices: an invitation with Apply, a pair's introduction (a group DM), a coach's brief."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Self

from app.services.notices.base import NoticeBase, ToOne, ids


@dataclass(frozen=True, kw_only=True)
class ProgramInvite(ToOne):
    """An invitation to a program's wave: its purpose and an Apply button."""

    kind: ClassVar[str] = "program_invite"
    wave_id: int
    program: str
    purpose: str

    def to_payload(self) -> dict[str, Any]:
        return {"to": self.to, "wave_id": self.wave_id, "program": self.program, "purpose": self.purpose}

    @classmethod
    def from_payload(cls, p: Mapping[str, Any], *, key: str) -> Self:
        return cls(key=key, to=p["to"], wave_id=int(p["wave_id"]), program=p["program"], purpose=p["purpose"])


@dataclass(frozen=True, kw_only=True)
class ProgramIntro(NoticeBase):
    """A published pair's group DM: the purpose, each one's intro, the cadence and the guidelines."""

    kind: ClassVar[str] = "program_intro"
    mentor_id: str
    mentee_id: str
    program: str
    purpose: str
    intros: Mapping[str, str]
    sessions: int
    every_weeks: int
    minutes: int

    @property
    def send_to(self) -> tuple[str, ...]:
        return (self.mentor_id, self.mentee_id)

    def to_payload(self) -> dict[str, Any]:
        return {
            "mentor_id": self.mentor_id,
            "mentee_id": self.mentee_id,
            "program": self.program,
            "purpose": self.purpose,
            "intros": dict(self.intros),
            "sessions": self.sessions,
            "every_weeks": self.every_weeks,
            "minutes": self.minutes,
        }

    @classmethod
    def from_payload(cls, p: Mapping[str, Any], *, key: str) -> Self:
        return cls(
            key=key,
            mentor_id=p["mentor_id"],
            mentee_id=p["mentee_id"],
            program=p["program"],
            purpose=p["purpose"],
            intros=dict(p.get("intros") or {}),
            sessions=int(p["sessions"]),
            every_weeks=int(p["every_weeks"]),
            minutes=int(p["minutes"]),
        )


@dataclass(frozen=True, kw_only=True)
class CoachBrief(ToOne):
    """Told privately to a coach: the pairs (mentor, mentee) they support in this wave."""

    kind: ClassVar[str] = "program_coach_brief"
    program: str
    pairs: tuple[tuple[str, str], ...]

    @property
    def recipients(self) -> tuple[str, ...]:
        return ids([self.to], [u for pair in self.pairs for u in pair])

    def to_payload(self) -> dict[str, Any]:
        return {"to": self.to, "program": self.program, "pairs": [list(p) for p in self.pairs]}

    @classmethod
    def from_payload(cls, p: Mapping[str, Any], *, key: str) -> Self:
        return cls(
            key=key,
            to=p["to"],
            program=p["program"],
            pairs=tuple((str(a), str(b)) for a, b in p["pairs"]),
        )
