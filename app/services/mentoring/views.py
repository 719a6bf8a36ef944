"""What the mentoring use cases return: plain frozen values the Slack adapter renders."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from app.db import queries
from app.db.models import Ask, Meeting
from app.domain.errors import Conflict
from app.domain.meeting import ReverseShortfall
from app.domain.model import MeetingStatus, Ranking


@dataclass(frozen=True, slots=True)
class AskOutcome:
    """What the asker sees after ``/mentor ask``: ranked offers, or that nobody is available."""

    ask_id: int
    goal: str
    topics: tuple[str, ...]
    ranking: Ranking
    asker_tz: str
    aimed_at: str | None = None  # the mentor asked for by name, when they are the one offered
    aimed_missed: str | None = None  # the mentor asked for by name, when they could not be offered
    reverse: bool = False
    reverse_shortfall: ReverseShortfall | None = None  # why a reverse ask found nobody
    min_level_gap: int = 2
    bios: Mapping[str, str] = field(default_factory=dict)  # the offered mentors' bios ("" when none)
    lunch_at: str | None = None  # a lunch ask: the office it is at

    @property
    def unmet(self) -> bool:
        return not self.ranking.offers


@dataclass(frozen=True, slots=True)
class MeetingView:
    """One conversation from one person's side."""

    meeting_id: int
    ask_id: int
    role: str  # "asker" | "mentor"
    other_id: str
    start: datetime
    status: MeetingStatus
    goal: str
    topics: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AskView:
    ask_id: int
    goal: str
    topics: tuple[str, ...]
    created_at: datetime


@dataclass(frozen=True, slots=True)
class MyConversations:
    upcoming: tuple[MeetingView, ...]
    pending: tuple[MeetingView, ...]
    open_asks: tuple[AskView, ...]
    tz: str


class SlotTaken(Conflict):
    """Somebody else got the slot first; carries fresh options for the asker."""

    def __init__(self, outcome: AskOutcome) -> None:
        super().__init__("Sorry, that slot was just taken. Here are the current options:")
        self.outcome = outcome


def meeting_view(meeting: Meeting, ask: Ask, user_id: str) -> MeetingView:
    is_mentor = user_id == meeting.mentor_id
    return MeetingView(
        meeting_id=meeting.id,
        ask_id=ask.id,
        role="mentor" if is_mentor else "asker",
        other_id=meeting.asker_id if is_mentor else meeting.mentor_id,
        start=meeting.start_at,
        status=MeetingStatus(meeting.status),
        goal=ask.goal,
        topics=queries.ask_topics(ask),
    )


@dataclass(frozen=True, slots=True)
class CancelOutcome:
    """What ``cancel_and_list`` did: ``refusal`` is None when the conversation was cancelled."""

    refusal: str | None
    mine: MyConversations
