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
    name = "mentorbot-" + event.uid.split("@", 1)[0]  # mentorbot-meeting-12, mentorbot-session-3
    title = event.title or TITLE
    if event.cancelled:
        return CalendarFile(f"{name}-cancelled.ics", f"{title}: cancelled", ics_text(event))
    if event.sequence > 0:  # a moved session: each revision has its own name
        return CalendarFile(f"{name}-{event.sequence}.ics", f"{title}: new time", ics_text(event))
    return CalendarFile(f"{name}.ics", title, ics_text(event))


def description(event: CalendarEvent) -> str:
    """The event's description: a 1:1's goal, or a session's description and where it is."""
    if event.title is None:
        if not event.location:
            where = "In your group DM in Slack."
        elif event.location.startswith("https://"):
            where = f"Online: {event.location}"
        else:  # a lunch: in person, an hour
            lunch = f"Lunch at {event.location}."
            return f"Goal: {event.goal}\n{lunch} Confidential unless you both agree otherwise."
        return f"Goal: {event.goal}\n{where} {CONFIDENTIAL}"
    where = f"Where: {event.location}" if event.location else ""
    return "\n".join(p for p in (event.goal, where, "Booked with Mentorbot in Slack.") if p)


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
    vevent.add("summary", event.title or TITLE)
    vevent.add("description", description(event))
    vevent.add("location", event.location or "Slack")
    vevent.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    vevent.add("transp", "OPAQUE")
    calendar.add_component(vevent)
    return calendar.to_ical()
