"""The domain's nouns: frozen dataclasses and StrEnums, in the words mentoring programs use."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from enum import StrEnum

SLOT_LENGTH = timedelta(minutes=15)
MAX_GOAL_LENGTH = 300
MAX_TOPICS = 5
DEFAULT_CAPACITY_PER_WEEK = 2


@dataclass(frozen=True, slots=True)
class WeeklyWindow:
    """A recurring stretch of a week, in the mentor's own time zone.

    ``weekday`` is 0 for Monday … 6 for Sunday; ``start`` < ``end`` on the same day.
    """

    weekday: int
    start: time
    end: time


# Until a mentor edits them: weekday working hours, 09:00-17:00, Monday to Friday.
DEFAULT_WINDOWS: tuple[WeeklyWindow, ...] = tuple(
    WeeklyWindow(day, time(9, 0), time(17, 0)) for day in range(5)
)


@dataclass(frozen=True, slots=True)
class Mentor:
    """A person on the mentor register, as matching sees them."""

    user_id: str
    topics: frozenset[str]
    tz: str
    windows: tuple[WeeklyWindow, ...] = DEFAULT_WINDOWS
    capacity_per_week: int = DEFAULT_CAPACITY_PER_WEEK
    available: bool = True
    away_until: datetime | None = None
    team: str | None = None
    level: int | None = None
    reverse_ok: bool = True


@dataclass(frozen=True, slots=True)
class MentorLoad:
    """What a mentor already carries: the slot starts they hold (UTC) and recent conversations.

    ``held_starts`` are the starts of every requested or confirmed conversation from the start of the
    current week on; ``recent_conversations`` counts conversations in the last 30 days (fairness).
    """

    held_starts: tuple[datetime, ...] = ()
    recent_conversations: int = 0


@dataclass(frozen=True, slots=True)
class WorkingHours:
    """When a person is usually at work: weekly windows in their own time zone (an IANA name)."""

    windows: tuple[WeeklyWindow, ...]
    tz: str


@dataclass(frozen=True, slots=True)
class AskSpec:
    """What an asker wants: a goal and topics, plus what matching needs to know about them.

    ``asker_hours`` None means "any time suits the asker" (slots then come from the mentor's day alone).
    """

    asker_id: str
    goal: str
    topics: frozenset[str] = field(default_factory=frozenset)
    asker_level: int | None = None
    asker_hours: WorkingHours | None = None
    # A reverse ask (a junior colleague mentoring a senior): only mentors open to it, at least
    # ``min_level_gap`` levels below the asker, in another team; unknown level or team excludes.
    reverse: bool = False
    asker_team: str | None = None
    min_level_gap: int = 2
    # The asker's own busy time (hosted sessions they host or have a seat in), sorted (start, end):
    # no slot overlapping it is offered.
    asker_busy: tuple[tuple[datetime, datetime], ...] = ()


@dataclass(frozen=True, slots=True)
class Offer:
    """One ranked mentor with the next free slots (UTC instants) the asker may pick."""

    mentor: Mentor
    matched_topics: frozenset[str]
    slots: tuple[datetime, ...]


@dataclass(frozen=True, slots=True)
class Ranking:
    """The result of ranking: offers best first, and whether they match the asked topics.

    ``topic_matched`` is False when topics were asked for and no available mentor covers any of them;
    then ``offers`` holds the best others.
    """

    offers: tuple[Offer, ...]
    topic_matched: bool
    # False when the asker's hours were known and no offered slot lies inside both people's day: the
    # offers are then the slots nearest the asker's hours, for the answer to mark as such.
    in_both_days: bool = True


class AskStatus(StrEnum):
    OPEN = "open"  # shown to the asker, no slot chosen yet (or a request was declined/expired)
    REQUESTED = "requested"  # a slot is held, waiting for the mentor
    CONFIRMED = "confirmed"
    UNMET = "unmet"  # nobody was available
    CANCELLED = "cancelled"
    CLOSED = "closed"


class MeetingStatus(StrEnum):
    REQUESTED = "requested"  # slot held, mentor asked to accept
    CONFIRMED = "confirmed"
    DECLINED = "declined"
    EXPIRED = "expired"
    CANCELLED = "cancelled"

    @property
    def holds_slot(self) -> bool:
        return self in (MeetingStatus.REQUESTED, MeetingStatus.CONFIRMED)


class GoalMet(StrEnum):
    YES = "yes"
    PARTLY = "partly"
    NO = "no"
