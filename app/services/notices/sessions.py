"""The hosted sessions' notices: a seat that came free went to you; the host cancelled."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, Self

from app.services.notices.base import NoticeBase, Priority, ToOne, ids, parse_time


@dataclass(frozen=True, kw_only=True)
class _AboutASession(ToOne):
    session_id: int
    host_id: str
    title: str
    start: datetime
    tz: str  # the recipient's zone, to show the time in

    @property
    def recipients(self) -> tuple[str, ...]:
        return ids(self.send_to, [self.host_id])

    def to_payload(self) -> dict[str, Any]:
        return {
            "to": self.to,
            "session_id": self.session_id,
            "host_id": self.host_id,
            "title": self.title,
            "start": self.start.isoformat(),
            "tz": self.tz,
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
        )


@dataclass(frozen=True, kw_only=True)
class SeatOffered(_AboutASession):
    """Someone left a full session: the first on its waitlist now has their seat (Leave if not)."""

    kind: ClassVar[str] = "session_seat_offered"
    priority: ClassVar[Priority] = Priority.NOW


@dataclass(frozen=True, kw_only=True)
class SessionCancelled(_AboutASession):
    """The host called the session off: each person with a seat or on the waitlist is told."""

    kind: ClassVar[str] = "session_cancelled"
    priority: ClassVar[Priority] = Priority.NOW


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
