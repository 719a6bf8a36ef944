"""When rounds run: the schedule an admin set, or the default weekly one until they do."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from app.db.models import CoffeeSchedule
from app.domain.schedule import RoundSchedule, next_after
from app.services import admins
from app.services.clock import Clock
from app.services.coffee.views import RouletteSettings, ScheduleView
from app.services.people import Person

DEFAULT_ANCHOR = date(2024, 1, 1)  # a Monday; the rhythm for fortnightly rounds until an admin sets one


class Schedule:
    def __init__(self, sessions: sessionmaker[Session], settings: RouletteSettings, *, clock: Clock) -> None:
        self._sessions = sessions
        self._settings = settings
        self._clock = clock

    def schedule(self) -> ScheduleView:
        with self._sessions() as session:
            return self.view(session, self._clock())

    def set_schedule(
        self, person: Person, *, every_weeks: int, weekday: int, at: time, tz: str | None
    ) -> ScheduleView:
        admins.require_admin(self._settings.admins, person)
        now = self._clock()
        tz = tz or person.tz
        local_today = now.astimezone(ZoneInfo(tz)).date()
        schedule = RoundSchedule(every_weeks, weekday, at, tz, local_today)  # validates
        with self._sessions.begin() as session:
            row = session.get(CoffeeSchedule, 1)
            if row is None:
                row = CoffeeSchedule(id=1)
                session.add(row)
            row.every_weeks, row.weekday, row.at_time, row.tz = every_weeks, weekday, at.strftime("%H:%M"), tz
            row.anchor = datetime.combine(local_today, time(0, 0), tzinfo=UTC)
            row.updated_by, row.updated_at = person.user_id, now
            return ScheduleView(schedule, next_after(schedule, now), is_default=False)

    def view(self, session: Session, now: datetime) -> ScheduleView:
        """The schedule in force and the next round after ``now``, inside the caller's session."""
        row = session.get(CoffeeSchedule, 1)
        if row is None:
            schedule = RoundSchedule(1, 0, time(9, 0), self._settings.default_tz, DEFAULT_ANCHOR)
            return ScheduleView(schedule, next_after(schedule, now), is_default=True)
        schedule = RoundSchedule(
            row.every_weeks, row.weekday, time.fromisoformat(row.at_time), row.tz, row.anchor.date()
        )
        return ScheduleView(schedule, next_after(schedule, now), is_default=False)
