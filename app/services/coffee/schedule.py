"""When a pool's rounds run: the schedule an admin set, or the default weekly one until they do."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from app.db import coffee_queries as cq
from app.db.models import CoffeePool
from app.domain.errors import NotFound
from app.domain.schedule import RoundSchedule, next_after
from app.services import admins
from app.services.clock import Clock
from app.services.coffee.views import RouletteSettings, ScheduleView
from app.services.people import Person

DEFAULT_ANCHOR = date(2024, 1, 1)  # a Monday; the rhythm for fortnightly rounds until an admin sets one


def find_pool(session: Session, name: str | None, *, now: datetime) -> CoffeePool:
    """The pool a command names, or the pool "coffee" when it names none."""
    if name is None:
        return cq.default_pool(session, now=now)
    pool = cq.pool_named(session, name)
    if pool is None:
        raise NotFound(f"There is no coffee pool called “{name[:40]}”. `/mentor coffee pools` lists them.")
    return pool


class Schedule:
    def __init__(self, sessions: sessionmaker[Session], settings: RouletteSettings, *, clock: Clock) -> None:
        self._sessions = sessions
        self._settings = settings
        self._clock = clock

    def schedule(self, pool: str | None = None) -> ScheduleView:
        now = self._clock()
        with self._sessions.begin() as session:
            return self.view(find_pool(session, pool, now=now), now)

    def set_schedule(
        self,
        person: Person,
        *,
        every_weeks: int,
        weekday: int,
        at: time,
        tz: str | None,
        pool: str | None = None,
    ) -> ScheduleView:
        admins.require_admin(self._settings.admins, person)
        now = self._clock()
        tz = tz or person.tz
        local_today = now.astimezone(ZoneInfo(tz)).date()
        schedule = RoundSchedule(every_weeks, weekday, at, tz, local_today)  # validates
        with self._sessions.begin() as session:
            row = find_pool(session, pool, now=now)
            row.every_weeks, row.weekday, row.at_time, row.tz = every_weeks, weekday, at.strftime("%H:%M"), tz
            row.anchor = datetime.combine(local_today, time(0, 0), tzinfo=UTC)
            row.updated_by, row.updated_at = person.user_id, now
            return ScheduleView(schedule, next_after(schedule, now), is_default=False)

    def view(self, pool: CoffeePool, now: datetime) -> ScheduleView:
        """A pool's schedule in force and its next round after ``now``."""
        if pool.every_weeks is None or pool.weekday is None or pool.at_time is None or pool.anchor is None:
            schedule = RoundSchedule(1, 0, time(9, 0), self._settings.default_tz, DEFAULT_ANCHOR)
            return ScheduleView(schedule, next_after(schedule, now), is_default=True)
        schedule = RoundSchedule(
            pool.every_weeks,
            pool.weekday,
            time.fromisoformat(pool.at_time),
            pool.tz or self._settings.default_tz,
            pool.anchor.date(),
        )
        return ScheduleView(schedule, next_after(schedule, now), is_default=False)
