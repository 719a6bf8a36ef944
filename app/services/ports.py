"""What the services need from Slack, as Protocols: ``app/slack`` implements them and ``bootstrap.py``
hands them in, so no service or job imports Slack's libraries (tests hand in fakes)."""

from __future__ import annotations

from typing import Protocol

from app.services.people import Person


class ChannelMembers(Protocol):
    """Reads who is in a Slack channel."""

    def humans_in(self, channel_id: str) -> list[Person] | None:
        """The channel's human members (no bots, no deactivated accounts); None when the bot can't read
        the channel (a private one it wasn't invited to, an archived one)."""
        ...


class NoticeCourier(Protocol):
    """Sends the outbox's due notices to Slack."""

    def drain(self) -> int:
        """Send what is due until nothing is; the number sent."""
        ...


class WorkspacePeople(Protocol):
    """Looks a Slack user up (``users.info``)."""

    def find(self, user_id: str) -> Person | None:
        """The person, or None when Slack says there is no such user in the workspace."""
        ...
