"""Errors the domain and the services raise, each with a message a person can read.

The Slack adapter renders ``str(error)`` as an ephemeral message, so every message here is written
for the person who typed the command, not for a developer.
"""


class DomainError(Exception):
    """A known, expected failure: the user's input or the state of the world says no."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(DomainError):
    """What the person typed cannot be used as it is."""


class NotFound(DomainError):
    """The thing a button or command points at no longer exists."""


class NotAllowed(DomainError):
    """The person may not do this (not an admin, not a party to the conversation …)."""


class Conflict(DomainError):
    """The thing changed since the person last saw it (slot taken, request already answered …)."""
