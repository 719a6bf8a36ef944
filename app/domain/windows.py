"""Weekly windows as people write them ("Mon-Fri 09:00-12:00, Tue 14-17:30"): parsed, validated, written back.

Pure: standard library only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import time

from app.domain.errors import InvalidInput
from app.domain.model import SLOT_LENGTH, WeeklyWindow

# A window may run to midnight: its end is written "24:00" and stored as the last instant of the day.
END_OF_DAY = time.max

WINDOWS_EXAMPLE = "Mon-Fri 09:00-12:00, Tue 14:00-17:30, Sat 10-12"

_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_FULL_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY_GROUPS = {
    "weekday": tuple(range(5)),
    "weekdays": tuple(range(5)),
    "weekend": (5, 6),
    "weekends": (5, 6),
    "daily": tuple(range(7)),
    "everyday": tuple(range(7)),
}
_RANGE_WORDS = frozenset({"-", "to", "through", "thru", "till", "until"})
_AND_WORDS = frozenset({"/", "&", "+", "and"})
_FILLER_WORDS = frozenset({"at", "from", "on"})
_DAY_TOKEN = re.compile(r"[a-z]+|[-/&+]")
_TIME_RANGE = re.compile(
    r"^(?P<sh>\d{1,2})(?:[:.h](?P<sm>\d{2}))?\s*(?P<sp>am|pm)?"
    r"\s*(?:-|to|till|until)\s*"
    r"(?P<eh>\d{1,2})(?:[:.h](?P<em>\d{2}))?\s*(?P<ep>am|pm)?$"
)


def _minutes(t: time) -> int:
    return 24 * 60 if t == END_OF_DAY else t.hour * 60 + t.minute


def validate_windows(windows: Iterable[WeeklyWindow]) -> tuple[WeeklyWindow, ...]:
    """Check, sort and merge windows: the canonical form every other function here relies on.

    Raises InvalidInput when a weekday is outside 0..6, a window ends before it starts, or a window is
    shorter than one slot (15 minutes). Overlapping or touching windows on one day are merged, so the
    result is sorted by (weekday, start) and no two windows share an instant. Cost: O(n log n).
    """
    checked: list[WeeklyWindow] = []
    for window in windows:
        if (
            isinstance(window.weekday, bool)
            or not isinstance(window.weekday, int)
            or not (0 <= window.weekday <= 6)
        ):
            raise InvalidInput(
                f"{window.weekday!r} is not a weekday; days run from 0 (Monday) to 6 (Sunday)."
            )
        if window.start >= window.end:
            raise InvalidInput(
                f"The window {_format_one(window)} ends before it starts. Write it as start-end on one "
                f'day, e.g. "{WINDOWS_EXAMPLE}".'
            )
        if _minutes(window.end) - _minutes(window.start) < SLOT_LENGTH.total_seconds() // 60:
            raise InvalidInput(
                f"The window {_format_one(window)} is shorter than a 15-minute conversation. "
                f'Make it at least 15 minutes long, e.g. "{WINDOWS_EXAMPLE}".'
            )
        checked.append(window)
    checked.sort(key=lambda w: (w.weekday, w.start, w.end))
    merged: list[WeeklyWindow] = []
    for window in checked:
        last = merged[-1] if merged else None
        if last is not None and last.weekday == window.weekday and window.start <= last.end:
            if window.end > last.end:
                merged[-1] = WeeklyWindow(last.weekday, last.start, window.end)
        else:
            merged.append(window)
    return tuple(merged)


def _format_time(t: time) -> str:
    return "24:00" if t == END_OF_DAY else f"{t.hour:02d}:{t.minute:02d}"


def _format_one(window: WeeklyWindow) -> str:
    day = _DAY_NAMES[window.weekday] if 0 <= window.weekday <= 6 else f"day {window.weekday}"
    return f"{day} {_format_time(window.start)}-{_format_time(window.end)}"


def format_windows(windows: Iterable[WeeklyWindow]) -> str:
    """Windows as text that ``parse_windows`` reads back to the same (validated) windows.

    Consecutive weekdays with the same times are written as one range ("Mon-Fri 09:00-17:00");
    entries are ordered by their first day, then start time, and joined with ", ". Times are written
    to the minute. No windows give "".
    """
    valid = validate_windows(windows)
    days_by_times: dict[tuple[time, time], list[int]] = {}
    for window in valid:
        days_by_times.setdefault((window.start, window.end), []).append(window.weekday)
    entries: list[tuple[int, time, str]] = []
    for (start, end), days in days_by_times.items():
        run_start = previous = days[0]
        for day in [*days[1:], None]:
            if day is not None and day == previous + 1:
                previous = day
                continue
            names = _DAY_NAMES[run_start]
            if previous != run_start:
                names += f"-{_DAY_NAMES[previous]}"
            entries.append((run_start, start, f"{names} {_format_time(start)}-{_format_time(end)}"))
            if day is not None:
                run_start = previous = day
    entries.sort(key=lambda entry: (entry[0], entry[1]))
    return ", ".join(text for _, _, text in entries)


def _bad_windows(entry: str, problem: str) -> InvalidInput:
    return InvalidInput(
        f'I couldn\'t read "{entry.strip()}": {problem} '
        f'Write days and times like "{WINDOWS_EXAMPLE}" (24-hour times; several entries separated by '
        "commas or new lines)."
    )


def _day_index(word: str, entry: str) -> int:
    if len(word) >= 2:
        for index, full in enumerate(_FULL_DAY_NAMES):
            if full.startswith(word):
                return index
    raise _bad_windows(entry, f'"{word}" is not a day (use Mon, Tue, Wed, Thu, Fri, Sat, Sun).')


def _parse_days(text: str, entry: str) -> list[int]:
    """Days such as "mon", "Mon-Fri", "mon/wed", "Fri to Sun", "weekdays" -> weekday numbers."""
    text = text.replace("–", "-").replace("—", "-")
    tokens = [token for token in _DAY_TOKEN.findall(text) if token not in _FILLER_WORDS]
    leftover = _DAY_TOKEN.sub("", text).strip(" \t:")
    if leftover:
        raise _bad_windows(entry, f'"{leftover}" is not part of a day name.')
    days: list[int] = []
    pending_range_from: int | None = None
    expect_day = True
    for token in tokens:
        if token in _AND_WORDS:
            if expect_day:
                raise _bad_windows(entry, f'"{token}" needs a day on both sides.')
            expect_day = True
            continue
        if token in _RANGE_WORDS:
            if expect_day or not days:
                raise _bad_windows(entry, "a range of days needs a first and a last day, like Mon-Fri.")
            pending_range_from = days.pop()
            expect_day = True
            continue
        if token in _DAY_GROUPS:
            if pending_range_from is not None:
                raise _bad_windows(entry, f'"{token}" cannot end a range of days.')
            days.extend(_DAY_GROUPS[token])
        else:
            day = _day_index(token, entry)
            if pending_range_from is not None:
                # Ranges may wrap around the week: Fri-Mon is Fri, Sat, Sun, Mon.
                span = (day - pending_range_from) % 7
                days.extend((pending_range_from + step) % 7 for step in range(span + 1))
                pending_range_from = None
            else:
                days.append(day)
        expect_day = False
    if expect_day and tokens:
        raise _bad_windows(entry, "a range or list of days is missing its last day.")
    return days


def _clock(hour: str, minute: str | None, meridiem: str | None, entry: str, *, is_end: bool) -> time:
    h, m = int(hour), int(minute or 0)
    if m > 59:
        raise _bad_windows(entry, f"{hour}:{minute} is not a time of day.")
    if meridiem is not None:
        if not 1 <= h <= 12:
            raise _bad_windows(entry, f"{hour}{meridiem} is not a time of day.")
        h = h % 12 + (12 if meridiem == "pm" else 0)
    if is_end and h in (0, 24) and m == 0:
        return END_OF_DAY  # "22:00-24:00" and "22:00-00:00" both run to midnight
    if h > 23:
        raise _bad_windows(entry, f"{hour}:{minute or '00'} is not a time of day (use 00:00-24:00).")
    return time(h, m)


def _parse_times(text: str, entry: str) -> tuple[time, time]:
    match = _TIME_RANGE.match(text.replace("–", "-").replace("—", "-").strip())
    if match is None:
        raise _bad_windows(entry, "the times should be a start and an end, like 09:00-12:00 or 9-12.")
    end = _clock(match["eh"], match["em"], match["ep"], entry, is_end=True)
    start_meridiem = match["sp"]
    if start_meridiem is None and match["ep"] is not None:
        # "9-11am", "1-3pm": the start shares the end's half of the day, unless that puts it after the
        # end ("9-5pm" is 09:00-17:00).
        start_meridiem = match["ep"]
        if _clock(match["sh"], match["sm"], start_meridiem, entry, is_end=False) >= end:
            start_meridiem = "am"
    start = _clock(match["sh"], match["sm"], start_meridiem, entry, is_end=False)
    if start >= end:
        raise _bad_windows(
            entry,
            f"{_format_time(start)}-{_format_time(end)} ends before it starts (a window stays within one "
            "day; split one that runs past midnight, e.g. Fri 22:00-24:00, Sat 00:00-02:00).",
        )
    return start, end


def parse_windows(text: str) -> tuple[WeeklyWindow, ...]:
    """Read windows typed in a modal, e.g. "Mon-Fri 09:00-12:00, Tue 14:00-17:30, sat 10-12".

    Entries are separated by commas, semicolons or new lines. Each entry is days then times. Days are
    case-insensitive names or prefixes of at least two letters (mon, Tues, thursday), ranges (Mon-Fri,
    Fri to Sun, wrapping around the week), lists (Mon/Wed, Mon & Wed), or weekdays / weekends / daily.
    Times are HH:MM or HH (24-hour, "24:00" for midnight at the end), or with am/pm. An entry with days
    but no times takes the times of the next entry ("Mon, Wed 9-12"); an entry with times but no days
    reuses the previous days ("Mon 9-12, 14-17"). The result is validated (sorted, merged).
    Raises InvalidInput, with an example, when the text cannot be read; blank text is an error too
    (a mentor with no windows should pause instead).
    """
    entries = [entry for entry in re.split(r"[,;\n]+", text.lower()) if entry.strip()]
    if not entries:
        raise InvalidInput(f'Please give at least one window, e.g. "{WINDOWS_EXAMPLE}".')
    windows: list[WeeklyWindow] = []
    pending_days: list[int] = []
    last_days: list[int] = []
    for entry in entries:
        digit = re.search(r"\d", entry)
        day_text = entry if digit is None else entry[: digit.start()]
        days = _parse_days(day_text, entry) if day_text.strip() else []
        if digit is None:
            pending_days.extend(days)
            continue
        start, end = _parse_times(entry[digit.start() :], entry)
        days = pending_days + days
        pending_days = []
        if not days:
            if not last_days:
                raise _bad_windows(entry, "which day is this? Put the day first, like Mon 09:00-12:00.")
            days = last_days
        last_days = days
        windows.extend(WeeklyWindow(day, start, end) for day in days)
    if pending_days:
        named = ", ".join(_DAY_NAMES[day] for day in dict.fromkeys(pending_days))
        raise InvalidInput(f'{named} has no times. Add them after the day, e.g. "{WINDOWS_EXAMPLE}".')
    return validate_windows(windows)
