"""Read `mentorbot import-members people.csv`: Slack ID, team, level per row (a header row is optional)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

LEVEL_WORDS = {
    "junior": 1,
    "mid": 2,
    "mid-level": 2,
    "senior": 3,
    "staff": 4,
    "lead": 4,
    "principal": 5,
    "director": 5,
}


MAX_TEAM = 100  # members.team


class ImportError_(ValueError):
    """A row that cannot be read; the message names the line."""


def read_members(lines: Iterable[str]) -> Iterator[tuple[str, str | None, int | None]]:
    for number, row in enumerate(csv.reader(lines), start=1):
        cells = [cell.strip() for cell in row]
        if not any(cells) or cells[0].startswith("#"):
            continue
        user_id = cells[0]
        if number == 1 and not _looks_like_user_id(user_id):
            continue  # a header row
        if not _looks_like_user_id(user_id):
            raise ImportError_(f"line {number}: {user_id!r} is not a Slack user ID (like U012ABCDEF)")
        team = cells[1] if len(cells) > 1 and cells[1] else None
        if team is not None and len(team) > MAX_TEAM:
            raise ImportError_(f"line {number}: the team name is longer than {MAX_TEAM} characters")
        yield user_id, team, _level(cells[2] if len(cells) > 2 else "", number)


def _looks_like_user_id(value: str) -> bool:
    return value[:1] in ("U", "W") and value.isalnum() and len(value) >= 3


def _level(value: str, number: int) -> int | None:
    if not value:
        return None
    if value.isdigit() and 1 <= int(value) <= 5:
        return int(value)
    if value.lower() in LEVEL_WORDS:
        return LEVEL_WORDS[value.lower()]
    raise ImportError_(f"line {number}: level {value!r} should be 1-5 or one of {', '.join(LEVEL_WORDS)}")
