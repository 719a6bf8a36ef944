"""A meeting as calendar event facts: which event it is, which revision, when, and whether it is off.

The ``.ics`` text itself is presentation and is rendered at the edge (``app/slack/blocks/ics.py``).
Calendars match an invitation to the event they hold by its UID and keep the one with the highest
SEQUENCE, so the UID depends on the meeting alone and each later revision of it counts up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

CONFIRMED_SEQUENCE = 0  # the first invitation, at confirmation
CANCELLED_SEQUENCE = 1  # a 1:1 doesn't move (yet): its cancellation is the one revision after it


def meeting_uid(meeting_id: int) -> str:
    """The event's UID, the same for every revision of the meeting (RFC 5545 3.8.4.7)."""
    return f"meeting-{meeting_id}@mentorbot"


def session_uid(session_id: int) -> str:
    """A hosted session's UID: one event for all its people and all its revisions (moves, cancel)."""
    return f"session-{session_id}@mentorbot"


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    """One revision of a meeting on people's calendars. ``goal`` belongs in the description only:
    calendars are often shared, so the title never holds it. ``stamp``: when this revision was made.
    A hosted session has a ``title`` of its own (what the host called it, shown to everyone who finds
    it) and a ``location``; ``goal`` is then its description."""

    uid: str
    sequence: int
    start: datetime
    length: timedelta
    goal: str
    stamp: datetime
    cancelled: bool = False
    title: str | None = None
    location: str | None = None

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.stamp.tzinfo is None:
            raise ValueError("calendar times must be aware")
        if self.sequence < 0 or self.length <= timedelta(0):
            raise ValueError("a revision counts up from 0 and an event lasts a while")

    @property
    def end(self) -> datetime:
        return self.start + self.length
