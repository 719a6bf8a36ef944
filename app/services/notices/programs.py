"""Programs' notices: an invitation with Apply, a pair's introduction (a group DM), a coach's brief."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
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
    """A published pair's group DM: the purpose, each one's intro and what they hope to learn or can
    offer (both written for the partner in the application), the cadence and the guidelines."""

    kind: ClassVar[str] = "program_intro"
    mentor_id: str
    mentee_id: str
    program: str
    purpose: str
    intros: Mapping[str, str]
    sessions: int
    every_weeks: int
    minutes: int
    pair_id: int = 0  # 0: written before pairs could end (no button)
    goals: Mapping[str, str] = field(default_factory=dict)  # empty in intros written before it was shown

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
            "pair_id": self.pair_id,
            "goals": dict(self.goals),
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
            pair_id=int(p.get("pair_id") or 0),
            goals=dict(p.get("goals") or {}),
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


@dataclass(frozen=True, kw_only=True)
class PairEnded(ToOne):
    """A pairing ended without blame, told to the partner (``to`` is the other person) or to the coach
    (``to`` is the coach): never the reason."""

    kind: ClassVar[str] = "program_pair_ended"
    program: str
    mentor_id: str
    mentee_id: str
    coach: bool = False

    @property
    def recipients(self) -> tuple[str, ...]:
        return ids([self.to], [self.mentor_id, self.mentee_id])

    def to_payload(self) -> dict[str, Any]:
        return {
            "to": self.to,
            "program": self.program,
            "mentor_id": self.mentor_id,
            "mentee_id": self.mentee_id,
            "coach": self.coach,
        }

    @classmethod
    def from_payload(cls, p: Mapping[str, Any], *, key: str) -> Self:
        return cls(
            key=key,
            to=p["to"],
            program=p["program"],
            mentor_id=p["mentor_id"],
            mentee_id=p["mentee_id"],
            coach=bool(p.get("coach")),
        )


@dataclass(frozen=True, kw_only=True)
class PairEndedAdmin(ToOne):
    """Told to the program's admin: who ended which pair, the reason, and the best re-matches for each
    of the two, as (person re-paired, candidate, preference points), best first."""

    kind: ClassVar[str] = "program_pair_ended_admin"
    program: str
    pair_id: int
    mentor_id: str
    mentee_id: str
    ended_by: str
    reason: str
    options: tuple[tuple[str, str, int], ...]
    left: bool = False  # ``ended_by`` left the workspace: nobody ended it by hand

    @property
    def recipients(self) -> tuple[str, ...]:
        return ids([self.to], [self.mentor_id, self.mentee_id], [o[1] for o in self.options])

    def to_payload(self) -> dict[str, Any]:
        return {
            "to": self.to,
            "program": self.program,
            "pair_id": self.pair_id,
            "mentor_id": self.mentor_id,
            "mentee_id": self.mentee_id,
            "ended_by": self.ended_by,
            "reason": self.reason,
            "options": [list(o) for o in self.options],
            "left": self.left,
        }

    @classmethod
    def from_payload(cls, p: Mapping[str, Any], *, key: str) -> Self:
        return cls(
            key=key,
            to=p["to"],
            program=p["program"],
            pair_id=int(p["pair_id"]),
            mentor_id=p["mentor_id"],
            mentee_id=p["mentee_id"],
            ended_by=p["ended_by"],
            reason=p["reason"],
            options=tuple((str(a), str(b), int(c)) for a, b, c in p["options"]),
            left=bool(p.get("left")),
        )
