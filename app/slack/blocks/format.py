"""Small text helpers shared by the builders: times in a person's zone, topics, mentions."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.slack.mrkdwn import escape


def zone(tz: str) -> ZoneInfo:
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return ZoneInfo("UTC")


def local_time(instant: datetime, tz: str) -> str:
    """'Tue 1 Dec, 14:00 CET': the instant on the reader's own clock."""
    local = instant.astimezone(zone(tz))
    return f"{local:%a} {local.day} {local:%b}, {local:%H:%M} {local.tzname()}"


def short_time(instant: datetime, tz: str) -> str:
    """'Tue 14:00' for buttons (Slack cuts button text at 75 characters)."""
    local = instant.astimezone(zone(tz))
    return f"{local:%a} {local.day} {local:%b} {local:%H:%M}"


def topics_text(topics: list[str] | tuple[str, ...]) -> str:
    """Topics are checked to be ``[a-z0-9+._-]`` when typed; escaped anyway, as they come from people."""
    return " ".join(f"`#{escape(t)}`" for t in topics)


def mention(user_id: str) -> str:
    return f"<@{user_id}>"


def counted(number: int, one: str, many: str | None = None) -> str:
    """'1 person', '3 people', '2 pairs': figures people read at a glance, in words that agree."""
    return f"{number} {one if number == 1 else (many or one + 's')}"
