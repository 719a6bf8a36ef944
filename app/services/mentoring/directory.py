"""Browsing the register: ``/mentor mentors [#topic]``, a page at a time (the rules: app.domain.directory)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from app.db import directory_queries, queries
from app.domain import directory
from app.services.clock import Clock
from app.services.people import Person
from app.services.register_cache import RegisterCache
from app.services.session_time import busy_in_horizon


@dataclass(frozen=True, slots=True)
class ListedMentor:
    user_id: str
    topics: tuple[str, ...]  # sorted; the asked ones are in ``matched`` too
    matched: tuple[str, ...]
    bio: str
    next_slot: datetime | None  # aware UTC; None when fully booked for the next two weeks


@dataclass(frozen=True, slots=True)
class DirectoryView:
    topics: tuple[str, ...]  # what was asked for
    mentors: tuple[ListedMentor, ...]
    page: int
    pages: int
    total: int
    away: int
    viewer_tz: str


class Directory:
    def __init__(self, sessions: sessionmaker[Session], *, clock: Clock, register: RegisterCache) -> None:
        self._sessions = sessions
        self._clock = clock
        self._register = register

    def browse(self, person: Person, topics: tuple[str, ...], page: int = 1) -> DirectoryView:
        """Read-only: one page of the mentors ``person`` could ask now."""
        now = self._clock()
        with self._sessions() as session:
            register = self._register.sync(session, now=now)
            found = directory.browse(
                register.everyone,
                frozenset(topics),
                register.loads,
                viewer_id=person.user_id,
                page=page,
                now=now,
                busy=busy_in_horizon(session, now=now, people=[person.user_id]),
            )
            bios = directory_queries.bios(session, [e.mentor.user_id for e in found.entries])
            tz = queries.member_tz(session, person.user_id, person.tz)
        mentors = tuple(
            ListedMentor(
                user_id=e.mentor.user_id,
                topics=tuple(sorted(e.mentor.topics)),
                matched=tuple(sorted(e.matched_topics)),
                bio=bios.get(e.mentor.user_id, ""),
                next_slot=e.next_slot,
            )
            for e in found.entries
        )
        return DirectoryView(topics, mentors, found.page, found.pages, found.total, found.away, tz)
