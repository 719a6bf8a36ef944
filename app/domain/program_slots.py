"""Times for a program's session: slots of a whole session's length inside both people's working days.

Built on the micro-mentoring slot machinery: the mentor's 15-minute slots (app.domain.slots, stepped in
their own wall-clock time, daylight saving handled there) and the mentee's day (app.domain.shared_hours).
A session of L minutes may start at a slot when every 15-minute slot of [start, start + L) is one of the
mentor's and inside the mentee's hours. Starts are on the hour or half hour (of the mentor's clock), and
the three offered lie on different days, earliest first, so the mentee has a real choice.

Pure: no clock (the window is passed in), standard library only.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from app.domain.model import SLOT_LENGTH, WorkingHours
from app.domain.shared_hours import AskerDay
from app.domain.slots import SlotGrid, load_zone, require_aware, week_layout

OFFERED = 3


def session_slots(
    mentor: WorkingHours,
    mentee: WorkingHours,
    length: timedelta,
    start: datetime,
    end: datetime,
    *,
    count: int = OFFERED,
) -> list[datetime]:
    """Up to ``count`` session starts (aware UTC) in [start, end), one per mentee-local day, ascending."""
    require_aware(start, "start")
    require_aware(end, "end")
    if length <= timedelta(0) or length % SLOT_LENGTH:
        raise ValueError("a session lasts a positive multiple of 15 minutes")
    zone = load_zone(mentor.tz)
    grid = SlotGrid(zone, week_layout(mentor.windows), start, end)
    day = AskerDay(mentee)
    steps = length // SLOT_LENGTH
    mentors: set[datetime] = set()
    ordered: list[datetime] = []
    index = 0
    while (slot := grid.get(index)) is not None:
        index += 1
        mentors.add(slot[0])
        ordered.append(slot[0])
    found: list[datetime] = []
    days: set[object] = set()
    for instant in ordered:
        if instant.astimezone(zone).minute % 30:
            continue
        pieces = [instant + SLOT_LENGTH * k for k in range(steps)]
        if not all(p in mentors and day.contains(p) for p in pieces):
            continue
        local_day = instant.astimezone(day.zone).date()
        if local_day in days:
            continue
        days.add(local_day)
        found.append(instant)
        if len(found) >= count:
            break
    return found
