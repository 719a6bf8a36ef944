"""Offices people work from: a name an admin gives, a time zone, and the weekdays someone is usually in.

Pure: standard library only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from app.domain.errors import InvalidInput
from app.domain.slots import load_zone

MAX_OFFICE_NAME = 60
_NAME = re.compile(r"^[\w][\w .'&()-]*$")
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def validate_office(name: str, tz: str) -> tuple[str, str]:
    """A tidy office name (1-60 characters: letters, digits, spaces and . ' & ( ) -) and a readable zone."""
    tidy = " ".join(name.split())
    if not tidy:
        raise InvalidInput("Name the office, e.g. `/mentor offices add Berlin Europe/Berlin`.")
    if len(tidy) > MAX_OFFICE_NAME:
        raise InvalidInput(
            f"An office name can be at most {MAX_OFFICE_NAME} characters; this one has {len(tidy)}."
        )
    if not _NAME.match(tidy):
        raise InvalidInput("Use letters, digits, spaces and . ' & ( ) - in an office name, e.g. `New York`.")
    load_zone(tz)
    return tidy, tz


def days_to_text(days: Iterable[int]) -> str:
    """[0, 2, 3] -> "0,2,3", as members.office_days keeps them (sorted, each once)."""
    chosen = sorted(set(days))
    if any(not 0 <= d <= 6 for d in chosen):
        raise InvalidInput("Weekdays are Monday to Sunday.")
    return ",".join(str(d) for d in chosen)


def days_from_text(text: str | None) -> tuple[int, ...]:
    """ "0,2,3" -> (0, 2, 3); anything unreadable counts as no days."""
    if not text:
        return ()
    try:
        days = tuple(sorted({int(part) for part in text.split(",")}))
    except ValueError:
        return ()
    return tuple(d for d in days if 0 <= d <= 6)


def days_words(days: Iterable[int]) -> str:
    """(1, 3) -> "Tue, Thu"."""
    return ", ".join(DAY_NAMES[d] for d in sorted(set(days)))
