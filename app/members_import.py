"""Read `mentorbot import-members people.csv`: Slack ID, team, level per row, as spreadsheets save them.

Excel and Google Sheets export in different ways; this takes them all:
- encoding, by a small fixed rule (no guessing library needed for these four): a byte-order mark says
  UTF-8 or UTF-16; NUL bytes in every other place mean UTF-16 without one; else strict UTF-8 if it
  decodes (Google Sheets, Excel's "CSV UTF-8"); else Windows-1252 (Excel's "CSV" on Western
  Windows, a superset of Latin-1's printable characters); else Latin-1, which decodes anything;
- separator: comma, semicolon (Excel where the decimal mark is a comma) or tab (Excel's "Unicode
  text"), whichever splits the most rows into cells;
- an optional header row, whose names (ID/user, team, level) may also put the columns in any order.
User IDs are taken in any case (``u012abc``), also as a mention (``<@U012ABC>``). A person listed twice
counts once (the later row wins). A bad row is reported by number and what is wrong; the rest import.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

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
SEPARATORS = {",": "comma", ";": "semicolon", "\t": "tab"}
Row = tuple[str, str | None, int | None]


@dataclass
class MembersFile:
    """What was read: the rows to import and, by row number, what could not be."""

    encoding: str
    separator: str
    header: bool
    rows: list[Row] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    repeats: list[str] = field(default_factory=list)

    def summary(self, imported: int) -> str:
        header = "a header row" if self.header else "no header row"
        how = f"{self.encoding}, {SEPARATORS[self.separator]}-separated, {header}"
        lines = [f"Imported team and level for {_count(imported, 'person', 'people')} ({how})."]
        if self.repeats:
            lines.append(f"{_count(len(self.repeats), 'row')} listed someone again; the later row counts.")
        if self.problems:
            lines.append(
                f"{_count(len(self.problems), 'row')} skipped (listed above): fix and run again; "
                "importing again is safe."
            )
        return " ".join(lines)


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


def read_members_file(path: str | Path) -> MembersFile:
    """Raises OSError when the file can't be read (missing, a directory, not allowed)."""
    text, encoding = decode(Path(path).read_bytes())
    return parse_members(text, encoding)


def decode(raw: bytes) -> tuple[str, str]:
    """(text, the encoding's name for people), by the rule in the module docstring."""
    if raw.startswith(codecs.BOM_UTF8):
        return raw[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace"), "UTF-8 with BOM"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16", errors="replace"), "UTF-16"
    sample = raw[:4096]
    if len(sample) >= 4 and sample.count(0) >= len(sample) // 4:  # ASCII in UTF-16: every other byte NUL
        little = sample[1::2].count(0) > sample[0::2].count(0)
        return raw.decode("utf-16-le" if little else "utf-16-be", errors="replace"), "UTF-16"
    for codec, name in (("utf-8", "UTF-8"), ("cp1252", "Windows-1252")):
        try:
            return raw.decode(codec), name
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1"), "Latin-1"


def parse_members(text: str, encoding: str = "UTF-8") -> MembersFile:
    separator = sniff_separator(text)
    rows = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), delimiter=separator)]
    first = next((i for i, cells in enumerate(rows) if _is_data(cells)), None)
    header = first is not None and not any(_user_id(cell) for cell in rows[first])
    columns = _columns(rows[first]) if header and first is not None else (0, 1, 2)
    found = MembersFile(encoding=encoding, separator=separator, header=header)
    seen: dict[str, int] = {}
    by_id: dict[str, Row] = {}
    for index, cells in enumerate(rows):
        number = index + 1  # the row number a spreadsheet shows
        if not _is_data(cells) or (header and index == first):
            continue
        try:
            user_id, team, level = _read_row(cells, columns)
        except ValueError as exc:
            found.problems.append(f"row {number}: {exc}")
            continue
        if user_id in seen:
            found.repeats.append(f"row {number}: {user_id} was already on row {seen[user_id]}")
        seen[user_id] = number
        by_id[user_id] = (user_id, team, level)
    found.rows = list(by_id.values())
    return found


def sniff_separator(text: str) -> str:
    """The separator that splits the most of the first rows into two or more cells, then into the most
    cells (a tab file with commas in its team names); comma when none splits anything."""
    sample = [line for line in text.splitlines()[:50] if line.strip() and not line.lstrip().startswith("#")]
    best, best_score = ",", (0, 0)
    for separator in SEPARATORS:
        rows = list(csv.reader(sample, delimiter=separator))
        score = (sum(len(row) >= 2 for row in rows), sum(len(row) for row in rows))
        if score[0] and score > best_score:
            best, best_score = separator, score
    return best


def _is_data(cells: list[str]) -> bool:
    return any(cells) and not cells[0].startswith("#")


def _columns(header: list[str]) -> tuple[int, int, int]:
    """(id, team, level) column positions from the header's names; the usual order when they don't say."""
    names = [cell.lower() for cell in header]

    def find(*words: str) -> int | None:
        return next((i for i, name in enumerate(names) if any(word in name for word in words)), None)

    user, team, level = (
        find("id", "user", "slack", "member"),
        find("team"),
        find("level", "grade", "seniority"),
    )
    if user is None:
        return (0, 1, 2)
    return user, team if team is not None else -1, level if level is not None else -1


def _read_row(cells: list[str], columns: tuple[int, int, int]) -> Row:
    def cell(position: int) -> str:
        return cells[position] if 0 <= position < len(cells) else ""

    raw_id, team, level = cell(columns[0]), cell(columns[1]), cell(columns[2])
    user_id = _user_id(raw_id)
    if user_id is None:
        if not raw_id:
            raise ValueError("no Slack user ID (like U012ABCDEF) in the first column")
        raise ValueError(f"{raw_id[:40]!r} is not a Slack user ID (like U012ABCDEF)")
    if len(team) > MAX_TEAM:
        raise ValueError(f"the team name is longer than {MAX_TEAM} characters")
    return user_id, team or None, _level(level)


def _user_id(value: str) -> str | None:
    """``U012ABC``, ``u012abc`` or ``<@U012ABC>`` -> ``U012ABC``; anything else None."""
    value = value.strip().removeprefix("<@").removesuffix(">").split("|")[0].strip().upper()
    if value[:1] in ("U", "W") and value.isalnum() and value.isascii() and len(value) >= 3:
        return value
    return None


def _level(value: str) -> int | None:
    if not value:
        return None
    if value.isdigit() and 1 <= int(value) <= 5:
        return int(value)
    if value.lower() in LEVEL_WORDS:
        return LEVEL_WORDS[value.lower()]
    raise ValueError(f"level {value[:40]!r} should be 1-5 or one of {', '.join(LEVEL_WORDS)}")
