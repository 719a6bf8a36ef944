"""The one admin policy: who is a Mentorbot admin (``MENTORBOT_ADMINS``) and how a refusal reads.

Every admin-only entry point (coffee channels, schedule, rounds, previews, figures, export) asks here,
so the rule and its wording exist once. Buttons and commands for admins are only shown to admins.
"""

from __future__ import annotations

from collections.abc import Set

from app.domain.errors import NotAllowed
from app.services.people import Person

ADMINS_ONLY = "Only Mentorbot admins can do that. Ask one of them, or see `/mentor help`."


def is_admin(admins: Set[str], person: Person) -> bool:
    return person.user_id in admins


def require_admin(admins: Set[str], person: Person) -> None:
    """Raise ``NotAllowed`` (rendered as an ephemeral message, logged as a refusal) unless an admin."""
    if not is_admin(admins, person):
        raise NotAllowed(ADMINS_ONLY)
