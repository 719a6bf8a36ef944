"""A meeting's revision as the ``.ics`` file uploaded beside its message (RFC 5545, iTIP's METHOD).

Made with ``icalendar`` rather than by hand: it folds long lines at 75 octets, escapes commas,
semicolons and newlines in text, and writes UTC times as ``...Z``. A confirmation is a REQUEST at
SEQUENCE 0; a cancellation a CANCEL of the same UID with a higher SEQUENCE and STATUS:CANCELLED, which
calendars apply to the event they hold. The title never holds the goal (calendars are often shared);
the description does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC

from icalendar import Calendar, Event

from app.domain.calendar import CalendarEvent
from app.slack.blocks.messages import CONFIDENTIAL

TITLE = "Mentoring conversation (Mentorbot)"  # the same as the 'Add to calendar' links'
PRODID = "-//Mentorbot//Mentoring conversations//EN"


@dataclass(frozen=True, slots=True)
class CalendarFile:
    filename: str
    title: str
    content: bytes


def calendar_file(event: CalendarEvent) -> CalendarFile:
    """The file for one revision; its name tells revisions of a meeting apart (a resend looks for it)."""
    name = "mentorbot-" + event.uid.split("@", 1)[0]  # mentorbot-meeting-12
    if event.cancelled:
        return CalendarFile(f"{name}-cancelled.ics", f"{TITLE}: cancelled", ics_text(event))
    return CalendarFile(f"{name}.ics", TITLE, ics_text(event))


def ics_text(event: CalendarEvent) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "CANCEL" if event.cancelled else "REQUEST")
    vevent = Event()
    vevent.add("uid", event.uid)
    vevent.add("sequence", event.sequence)
    vevent.add("dtstamp", event.stamp.astimezone(UTC))
    vevent.add("dtstart", event.start.astimezone(UTC))
    vevent.add("dtend", event.end.astimezone(UTC))
    vevent.add("summary", TITLE)
    vevent.add("description", f"Goal: {event.goal}\nIn your group DM in Slack. {CONFIDENTIAL}")
    vevent.add("location", "Slack")
    vevent.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    vevent.add("transp", "OPAQUE")
    calendar.add_component(vevent)
    return calendar.to_ical()
