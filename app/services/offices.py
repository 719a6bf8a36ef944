"""Offices: admins keep the list (`/mentor offices add|remove`); anyone can see it and say theirs."""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from app.db import office_queries
from app.db.models import Office
from app.domain.errors import Conflict, NotFound
from app.domain.offices import validate_office
from app.services import admins
from app.services.clock import Clock, utc_now
from app.services.people import Person


@dataclass(frozen=True, slots=True)
class OfficeView:
    name: str
    tz: str
    people: int  # members who said they work there


class OfficesService:
    def __init__(self, sessions: sessionmaker[Session], *, admins: Set[str], clock: Clock = utc_now) -> None:
        self._sessions = sessions
        self._admins = admins
        self._clock = clock

    def offices(self) -> list[OfficeView]:
        with self._sessions() as session:
            return _views(session)

    def add(self, person: Person, name: str, tz: str) -> list[OfficeView]:
        admins.require_admin(self._admins, person)
        name, tz = validate_office(name, tz)
        with self._sessions.begin() as session:
            if office_queries.office_named(session, name) is not None:
                raise Conflict(f"There is already an office called {name}.")
            session.add(Office(name=name, tz=tz, created_at=self._clock()))
            session.flush()
            return _views(session)

    def remove(self, person: Person, name: str) -> list[OfficeView]:
        """Remove an office; the people who worked there keep everything else and have no office."""
        admins.require_admin(self._admins, person)
        tidy = " ".join(name.split())
        with self._sessions.begin() as session:
            office = office_queries.office_named(session, tidy)
            if office is None:
                raise NotFound(f"There is no office called {tidy}. `/mentor offices` lists them.")
            office_queries.delete_office(session, office)
            session.flush()
            return _views(session)


def _views(session: Session) -> list[OfficeView]:
    return [
        OfficeView(name, tz, people) for name, tz, people in office_queries.offices_with_headcount(session)
    ]
