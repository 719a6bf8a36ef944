"""'Add to calendar' link buttons for a confirmed conversation: Google Calendar and Outlook on the web.

The title never holds the goal (calendars are often shared); the description does. Slack still sends the
app a block action when a link button is clicked, so the listener acks these action ids and does nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from slack_sdk.models.blocks import ButtonElement

from app.slack.ids import Action

MAX_URL = 3000  # Slack's limit for a button's url


def _fitting(make: Callable[[str], str], details: str) -> str:
    """The URL ``make`` builds, with the description shortened (…) until it fits Slack's limit: percent-
    encoding makes a character up to 9 long, so the cut is measured on the URL, not the text."""
    url = make(details)
    while len(url) > MAX_URL and details:
        details = details[: len(details) * 3 // 4].rstrip()
        url = make(details + "…" if details else "")
    return url


def google_url(title: str, start: datetime, length: timedelta, details: str) -> str:
    stamp = "%Y%m%dT%H%M%SZ"
    dates = f"{start.astimezone(UTC):{stamp}}/{(start + length).astimezone(UTC):{stamp}}"

    def make(text: str) -> str:
        query = urlencode({"action": "TEMPLATE", "text": title, "dates": dates, "details": text})
        return f"https://calendar.google.com/calendar/render?{query}"

    return _fitting(make, details)


def outlook_url(title: str, start: datetime, length: timedelta, details: str) -> str:
    iso = "%Y-%m-%dT%H:%M:%SZ"

    def make(text: str) -> str:
        query = urlencode(
            {
                "path": "/calendar/action/compose",
                "rru": "addevent",
                "subject": title,
                "startdt": f"{start.astimezone(UTC):{iso}}",
                "enddt": f"{(start + length).astimezone(UTC):{iso}}",
                "body": text,
            }
        )
        return f"https://outlook.office.com/calendar/0/deeplink/compose?{query}"

    return _fitting(make, details)


def calendar_buttons(title: str, start: datetime, length: timedelta, details: str) -> list[ButtonElement]:
    links = [
        ("Google Calendar", Action.CALENDAR_GOOGLE, google_url(title, start, length, details)),
        ("Outlook", Action.CALENDAR_OUTLOOK, outlook_url(title, start, length, details)),
    ]
    return [ButtonElement(text=f"Add to {label}", action_id=action, url=url) for label, action, url in links]
