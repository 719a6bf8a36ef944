"""What every notice type has: its priority, how it is delivered, what to do when its people are gone."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum, IntEnum
from typing import TYPE_CHECKING, Any, ClassVar, Self

from app.domain.calendar import CalendarEvent

if TYPE_CHECKING:
    from app.services.notices import Notice


class Priority(IntEnum):
    """Higher goes first: what a person is waiting for right now before bulk (a round's intros)."""

    BULK = 0
    NOW = 1


class Delivery(Enum):
    """How a notice reaches Slack."""

    POST = "post"  # a message in the conversation of ``send_to``
    UPDATE = "update"  # replaces the message of the notice it ``updates``
    HOME = "home"  # republishes the App Home of its one recipient


class UnknownKind(ValueError):
    """A stored row of a kind this code does not know (written by a newer release, or a typo)."""


@dataclass(frozen=True, slots=True)
class MentorGone:
    """The mentor can't be reached: decline the request on their behalf, offer the asker others now."""

    meeting_id: int


@dataclass(frozen=True, slots=True)
class PartnerStranded:
    """Everyone else in a coffee group left: regroup the one still here (or tell them)."""

    group_id: int
    user_id: str


@dataclass(frozen=True, slots=True)
class IfUnreachable:
    """What a notice does when some of ``send_to`` can't be reached: send ``instead`` (to those still
    here) or fail; either way ``then`` happens first."""

    instead: Notice | None = None
    then: MentorGone | PartnerStranded | None = None


@dataclass(frozen=True, kw_only=True)
class NoticeBase:
    kind: ClassVar[str]
    priority: ClassVar[Priority] = Priority.BULK
    delivery: ClassVar[Delivery] = Delivery.POST
    key: str

    @property
    def send_to(self) -> tuple[str, ...]:
        raise NotImplementedError

    @property
    def recipients(self) -> tuple[str, ...]:
        """Everyone this notice concerns: whom it goes to first, then whom it names."""
        return self.send_to

    @property
    def updates(self) -> str | None:
        """The key of the notice whose message this one replaces (``Delivery.UPDATE``)."""
        return None

    def if_unreachable(self, reachable: Sequence[str]) -> IfUnreachable:
        return IfUnreachable()  # by default it fails, with the reason kept for admins

    def attachment(self) -> CalendarEvent | None:
        """What is uploaded into the conversation after the message: a calendar file for this revision
        of a meeting, or nothing (most notices)."""
        return None


@dataclass(frozen=True, kw_only=True)
class ToOne(NoticeBase):
    to: str

    @property
    def send_to(self) -> tuple[str, ...]:
        return (self.to,)


def ids(*groups: Sequence[str]) -> tuple[str, ...]:
    """The ids in order, each once."""
    return tuple(dict.fromkeys(u for group in groups for u in group))


def parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value)


@dataclass(frozen=True, kw_only=True)
class OnlyTo(ToOne):
    """A notice whose payload is its one recipient."""

    def to_payload(self) -> dict[str, Any]:
        return {"to": self.to}

    @classmethod
    def from_payload(cls, p: Mapping[str, Any], *, key: str) -> Self:
        return cls(key=key, to=p["to"])


@dataclass(frozen=True, slots=True)
class Undecodable:
    """A claimed row that isn't a notice this code can send; ``permanent``: retrying can't help."""

    kind: str
    error: str
    permanent: bool
