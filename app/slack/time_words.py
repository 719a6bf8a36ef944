"""Time as people type it: ``2w``, ``2025-09-01``, ``weekly``, ``mon``, ``9am``, ``Europe/Berlin``."""

from __future__ import annotations

import re
from datetime import date, time, timedelta
from functools import cache
from zoneinfo import available_timezones

from app.domain.errors import InvalidInput
from app.domain.schedule import ALLOWED_EVERY_WEEKS
from app.slack.mrkdwn import unescape

MAX_PERIOD_DAYS = 365

_DAYS = re.compile(r"([0-9]+) ?(d|days?|w|wks?|weeks?)")
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


def days(value: str) -> int | None:
    """``10d`` -> 10, ``2w`` / ``2 weeks`` -> 14; None when ``value`` is no such thing."""
    match = _DAYS.fullmatch(value)
    if match is None:
        return None
    count = int(match[1]) if len(match[1]) <= 6 else 10**6
    return count * (7 if match[2].startswith("w") else 1)


def checked_days(count: int, *, example: str) -> int:
    """``count`` when it is 1 … MAX_PERIOD_DAYS; else InvalidInput ending in ``example``."""
    if not 1 <= count <= MAX_PERIOD_DAYS:
        raise InvalidInput(f"Pick between 1 and {MAX_PERIOD_DAYS} days (that was {count}), {example}")
    return count


def period(text: str, *, example: str) -> tuple[timedelta | None, date | None]:
    """``2w`` -> (14 days, None); ``2025-09-01`` -> (None, that date). Raises InvalidInput otherwise."""
    value = " ".join(text.split()).lower()
    if not value:
        raise InvalidInput(f"For how long? {example[0].upper()}{example[1:]}")
    count = days(value)
    if count is not None:
        return timedelta(days=checked_days(count, example=example)), None
    match = _ISO_DATE.fullmatch(value)
    if match is None:
        raise InvalidInput(f"I didn't understand `{text.strip()[:40]}`, {example}")
    try:
        return None, date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise InvalidInput(f"`{value}` isn't a date on the calendar, {example}") from None


_INTERVAL_PHRASES: dict[tuple[str, ...], int] = {
    ("weekly",): 1,
    ("every", "week"): 1,
    ("biweekly",): 2,
    ("fortnightly",): 2,
    ("every", "other", "week"): 2,
    ("monthly",): 4,
    ("every", "month"): 4,
}
_EVERY_N_WEEKS = re.compile(r"every ([0-9]{1,3}) weeks?")


def interval(words: list[str], *, example: str) -> tuple[int, int]:
    """How often rounds run, from the first words: (weeks, number of words used)."""
    lowered = [word.lower() for word in words]
    for length in (3, 2, 1):
        weeks = _INTERVAL_PHRASES.get(tuple(lowered[:length]))
        if weeks is not None:
            return weeks, length
    match = _EVERY_N_WEEKS.fullmatch(" ".join(lowered[:3]))
    if match is not None:
        weeks = int(match[1])
        if weeks not in ALLOWED_EVERY_WEEKS:
            raise InvalidInput(f"Rounds can run every 1, 2 or 4 weeks, not {weeks}; {example}")
        return weeks, 3
    raise InvalidInput(
        "Start with how often: `weekly`, `biweekly` (every 2 weeks) or `monthly` (every 4 weeks), " + example
    )


_WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def weekday(word: str) -> int | None:
    """``mon``, ``Monday``, ``mondays``, ``tues``, ``thurs`` -> 0 … 6; None for anything else."""
    for candidate in (word, word.removesuffix("s")):
        if len(candidate) >= 3:
            for index, name in enumerate(_WEEKDAY_NAMES):
                if name.startswith(candidate):
                    return index
    return None


_CLOCK = re.compile(r"([0-9]{1,2})(?:[:.]([0-9]{2}))?(am|pm)?")


def clock(word: str) -> time | None:
    """``10:00``, ``9.30``, ``9am``, ``2:30pm`` -> a time; None otherwise (``10`` alone is ambiguous)."""
    match = _CLOCK.fullmatch(word)
    if match is None or (match[2] is None and match[3] is None):
        return None
    hour, minute, half = int(match[1]), int(match[2] or 0), match[3]
    if half is not None:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


@cache
def _known_timezones() -> dict[str, str]:
    return {name.lower(): name for name in available_timezones()}


def timezone(word: str) -> str:
    """An IANA time zone name in its canonical spelling (``europe/berlin`` -> ``Europe/Berlin``)."""
    name = _known_timezones().get(word.lower())
    if name is None:
        raise InvalidInput(
            f"I don't know the time zone `{unescape(word)[:60]}`; use an IANA name such as `Europe/Berlin`, "
            "`America/New_York` or `UTC`"
        )
    return name
