"""Members as the organisation knows them: team and level, imported from a spreadsheet (admin CLI), and
what each person says about themselves (`/mentor about`: working hours, team, level)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from app.db import office_queries, queries
from app.db.models import Member
from app.domain.errors import InvalidInput
from app.domain.model import DEFAULT_WINDOWS, WeeklyWindow, WorkingHours
from app.domain.offices import days_from_text, days_to_text
from app.domain.windows import validate_windows
from app.services.clock import Clock, utc_now
from app.services.people import Person


class MembersService:
    def __init__(
        self, sessions: sessionmaker[Session], *, default_tz: str = "UTC", clock: Clock = utc_now
    ) -> None:
        self._sessions = sessions
        self._default_tz = default_tz
        self._clock = clock

    def import_members(self, rows: Iterable[tuple[str, str | None, int | None]]) -> int:
        """Set team and level of each (user_id, team, level), adding people Slack hasn't shown us yet
        (their name and zone are filled in when they first use the bot). One transaction."""
        now = self._clock()
        count = 0
        with self._sessions.begin() as session:
            for user_id, team, level in rows:
                member = session.get(Member, user_id)
                if member is None:
                    member = Member(
                        user_id=user_id,
                        display_name=user_id,
                        tz=self._default_tz,
                        created_at=now,
                        updated_at=now,
                    )
                    session.add(member)
                member.team, member.level, member.updated_at = team, level, now
                count += 1
        return count


@dataclass(frozen=True, slots=True)
class AboutYou:
    """What a person tells the bot about themselves: when they work, their team and level.

    ``hours_set`` False means the hours are the default (weekdays 09:00-17:00 in their zone).
    """

    hours: tuple[WeeklyWindow, ...]
    hours_set: bool
    team: str | None
    level: int | None
    tz: str
    office: str | None = None
    office_days: tuple[int, ...] = ()
    offices: tuple[str, ...] = ()  # the admins' list, to choose from


class AboutService:
    """`/mentor about`: a person's working hours (offers fall inside them), team and level."""

    def __init__(self, sessions: sessionmaker[Session], *, clock: Clock = utc_now) -> None:
        self._sessions = sessions
        self._clock = clock

    def about(self, person: Person) -> AboutYou:
        with self._sessions() as session:
            member = session.get(Member, person.user_id)
            return _about(session, member, person)

    def save(
        self,
        person: Person,
        *,
        hours: tuple[WeeklyWindow, ...],
        team: str | None,
        level: int | None,
        office: str | None = None,
        office_days: tuple[int, ...] = (),
    ) -> AboutYou:
        """One transaction; hours equal to the default are stored as "not set", so a later change of the
        default reaches people who never chose their own."""
        hours = validate_windows(hours)
        if not hours:
            raise InvalidInput("Give at least one stretch of the week, e.g. Mon-Fri 09:00-17:00.")
        now = self._clock()
        with self._sessions.begin() as session:
            member = queries.upsert_member(session, person.user_id, name=person.name, tz=person.tz, now=now)
            own = hours != DEFAULT_WINDOWS
            member.work_windows = queries.windows_to_json(hours) if own else None
            member.team, member.level, member.updated_at = team, level, now
            chosen = office_queries.office_named(session, office) if office is not None else None
            if office is not None and chosen is None:
                raise InvalidInput(f"There is no office called {office} any more; pick another.")
            office_queries.set_office_of(
                session,
                person.user_id,
                chosen.id if chosen else None,
                days_to_text(office_days) if chosen else "",
            )
            session.flush()
            return _about(session, member, person)


def _about(session: Session, member: Member | None, person: Person) -> AboutYou:
    names = tuple(o.name for o in office_queries.all_offices(session))
    if member is None:
        return AboutYou(DEFAULT_WINDOWS, False, None, None, person.tz, offices=names)
    own = queries.windows_from_json(member.work_windows) if member.work_windows else ()
    where = office_queries.office_of(session, member.user_id)
    office, days = (where[0].name, days_from_text(where[1])) if where else (None, ())
    return AboutYou(
        own or DEFAULT_WINDOWS,
        bool(own),
        member.team,
        member.level,
        member.tz or person.tz,
        office=office,
        office_days=days,
        offices=names,
    )


def working_hours(member: Member) -> WorkingHours:
    """A member's working hours for matching: their own, else weekdays 09:00-17:00, in their zone."""
    own = queries.windows_from_json(member.work_windows) if member.work_windows else ()
    return WorkingHours(own or DEFAULT_WINDOWS, member.tz)
