"""The coffee roulette notices: intros, follow-ups, pauses, and those left without a group."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, ClassVar

from app.services.notices.base import (
    IfUnreachable,
    NoticeBase,
    OnlyTo,
    PartnerStranded,
    ToOne,
    ids,
    parse_time,
)

# --- coffee ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Colleague:
    """What an intro says about each person: their team and what they mentor on."""

    team: str | None = None
    topics: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class CoffeeIntro(NoticeBase):
    """A round's introduction, in a group DM of the pair or trio."""

    kind: ClassVar[str] = "coffee_intro"
    users: tuple[str, ...]
    proposer: str
    icebreaker: str
    group_id: int
    people: Mapping[str, Colleague] = field(default_factory=dict)
    office: str | None = None  # in person: the office they share
    office_day: int | None = None  # the weekday (Monday 0) most of them are usually in
    all_in: bool = False  # whether all of them are in on that day

    @property
    def send_to(self) -> tuple[str, ...]:
        return self.users

    @property
    def recipients(self) -> tuple[str, ...]:
        return ids(self.users, [self.proposer], list(self.people))

    def joined_by(self, user_id: str, colleague: Colleague) -> CoffeeIntro:
        """This intro with one more person (a pair becomes a trio)."""
        return replace(
            self, users=tuple(sorted([*self.users, user_id])), people={**self.people, user_id: colleague}
        )

    def if_unreachable(self, reachable: Sequence[str]) -> IfUnreachable:
        if len(reachable) == 1:
            # Everyone else in the group left: a queued group of this round takes them in, or they are
            # told and go first next round. This intro fails with the reason.
            return IfUnreachable(then=PartnerStranded(self.group_id, reachable[0]))
        if len(reachable) < 2:
            return IfUnreachable()
        # Someone in the group left Slack: introduce the ones still here rather than no one.
        proposer = self.proposer if self.proposer in reachable else reachable[0]
        return IfUnreachable(instead=replace(self, users=tuple(reachable), proposer=proposer))

    def to_payload(self) -> dict[str, Any]:
        payload = {
            "users": list(self.users),
            "proposer": self.proposer,
            "icebreaker": self.icebreaker,
            "group_id": self.group_id,
            "people": {u: {"team": c.team, "topics": list(c.topics)} for u, c in self.people.items()},
        }
        if self.office is not None:  # in person only: other intros keep the payload they always had
            payload |= {"office": self.office, "office_day": self.office_day, "all_in": self.all_in}
        return payload

    @classmethod
    def from_payload(cls, p: Mapping[str, Any], *, key: str) -> CoffeeIntro:
        return cls(
            key=key,
            users=tuple(p["users"]),
            proposer=p["proposer"],
            icebreaker=p["icebreaker"],
            group_id=int(p["group_id"]),
            people={
                u: Colleague(info.get("team"), tuple(info.get("topics") or ()))
                for u, info in (p.get("people") or {}).items()
            },
            office=p.get("office"),
            office_day=p.get("office_day"),
            all_in=bool(p.get("all_in")),
        )


@dataclass(frozen=True, kw_only=True)
class CoffeeFollowup(NoticeBase):
    """ "Did you meet?", to a group a few days after its round."""

    kind: ClassVar[str] = "coffee_followup"
    users: tuple[str, ...]
    group_id: int

    @property
    def send_to(self) -> tuple[str, ...]:
        return self.users

    def to_payload(self) -> dict[str, Any]:
        return {"users": list(self.users), "group_id": self.group_id}

    @classmethod
    def from_payload(cls, p: Mapping[str, Any], *, key: str) -> CoffeeFollowup:
        return cls(key=key, users=tuple(p["users"]), group_id=int(p["group_id"]))


@dataclass(frozen=True, kw_only=True)
class CoffeePaused(OnlyTo):
    """Three check-ins unanswered: paused in that pool, with Resume, Ask me later and Leave."""

    kind: ClassVar[str] = "coffee_paused"
    pool: str = "coffee"

    def to_payload(self) -> dict[str, Any]:
        # The pool "coffee" is left out: the payload as it was before pools (and as older rows hold it).
        return {"to": self.to} if self.pool == "coffee" else {"to": self.to, "pool": self.pool}

    @classmethod
    def from_payload(cls, p: Mapping[str, Any], *, key: str) -> CoffeePaused:
        return cls(key=key, to=p["to"], pool=p.get("pool") or "coffee")  # rows from before pools: "coffee"


@dataclass(frozen=True, kw_only=True)
class CoffeeHeadsUp(ToOne):
    """ "You'll be paired tomorrow", the day before a pool's round, with Skip / Pause / Leave."""

    kind: ClassVar[str] = "coffee_heads_up"
    pool: str
    pool_id: int
    round_at: datetime

    def to_payload(self) -> dict[str, Any]:
        return {
            "to": self.to,
            "pool": self.pool,
            "pool_id": self.pool_id,
            "round_at": self.round_at.isoformat(),
        }

    @classmethod
    def from_payload(cls, p: Mapping[str, Any], *, key: str) -> CoffeeHeadsUp:
        return cls(
            key=key,
            to=p["to"],
            pool=p["pool"],
            pool_id=int(p["pool_id"]),
            round_at=parse_time(p["round_at"]),
        )


@dataclass(frozen=True, kw_only=True)
class CoffeeLeftOut(OnlyTo):
    """No group this round (their "don't pair" wishes); first in line next round."""

    kind: ClassVar[str] = "coffee_left_out"


@dataclass(frozen=True, kw_only=True)
class CoffeePartnerLeft(OnlyTo):
    """Their partner left Slack and no queued group could take them in."""

    kind: ClassVar[str] = "coffee_partner_left"
