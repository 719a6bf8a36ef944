"""Who is asking: the little the services need to know about a Slack user, as the adapter read it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Person:
    """A Slack user as seen on this request: id, a name to show, and their IANA time zone."""

    user_id: str
    name: str
    tz: str
