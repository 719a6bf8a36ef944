"""When a session's one reminder reaches a person: the morning of, on their own clock.

``reminder_at(start, zone)`` is 08:00 in ``zone`` on the day the session starts there, when that is at
least an hour before the start; otherwise (a session before 09:00 their time) 18:00 the evening before,
so nobody is woken for it or told after the group DM opened. Pure: the zone is passed in.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from app.domain.slots import require_aware

MORNING = time(8)
EVENING = time(18)
AHEAD = timedelta(hours=1)


def reminder_at(start: datetime, zone: ZoneInfo) -> datetime:
    require_aware(start, "start")
    day = start.astimezone(zone).date()
    morning = datetime.combine(day, MORNING, tzinfo=zone)
    if morning <= start - AHEAD:
        return morning.astimezone(UTC)
    return datetime.combine(day - timedelta(days=1), EVENING, tzinfo=zone).astimezone(UTC)
