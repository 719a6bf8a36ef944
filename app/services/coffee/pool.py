"""Who is in a coffee pool: join, leave, pause, resume, one's status and "don't pair me with".

Each takes the pool's name; none means the pool "coffee" (today's commands)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from app.db import coffee_queries as cq
from app.db import queries
from app.db.models import CoffeeAvoid, CoffeeParticipant, CoffeePool
from app.domain.errors import InvalidInput
from app.services.clock import Clock
from app.services.coffee.schedule import Schedule, find_pool
from app.services.coffee.views import CoffeeStatus, PoolChoice
from app.services.people import Person


class Pool:
    def __init__(self, sessions: sessionmaker[Session], schedule: Schedule, *, clock: Clock) -> None:
        self._sessions = sessions
        self._schedule = schedule  # a status names the next round
        self._clock = clock

    def join(self, person: Person, pool: str | None = None) -> CoffeeStatus | PoolChoice:
        """Join a pool; with no pool named and several to choose from, the choice (nothing changes)."""
        if pool is None:
            with self._sessions() as session:
                names = [p.name for p in cq.pools(session)]
            if len(names) > 1:
                return PoolChoice(tuple(names))
        return self._update(person, pool, opted_in=True, opted_out=False, paused_until=None)

    def leave(self, person: Person, pool: str | None = None) -> CoffeeStatus:
        return self._update(person, pool, opted_in=False, opted_out=True, paused_until=None)

    def resume(self, person: Person, pool: str | None = None) -> CoffeeStatus:
        return self._update(person, pool, opted_out=False, paused_until=None, unanswered_streak=0)

    def pause(
        self,
        person: Person,
        *,
        duration: timedelta | None = None,
        until_date: date | None = None,
        pool: str | None = None,
    ) -> CoffeeStatus:
        now = self._clock()
        if duration is not None:
            until = now + duration
        elif until_date is not None:
            until = datetime.combine(until_date, time(0, 0), tzinfo=ZoneInfo(person.tz)).astimezone(UTC)
            if until <= now:
                raise InvalidInput(
                    "That date is in the past: pick a future one, e.g. `/mentor coffee pause 2w`."
                )
        else:
            raise InvalidInput(
                "For how long? e.g. `/mentor coffee pause 2w` or `/mentor coffee pause 2026-01-31`."
            )
        return self._update(person, pool, paused_until=until)

    def status(self, person: Person, pool: str | None = None) -> CoffeeStatus:
        now = self._clock()
        with self._sessions.begin() as session:
            queries.upsert_member(session, person.user_id, name=person.name, tz=person.tz, now=now)
            return self._status(session, find_pool(session, pool, now=now), person, now)

    def avoid(self, person: Person, other_id: str, *, remove: bool) -> int:
        """Keep (or drop) a confidential "don't pair me with"; returns how many the person keeps."""
        if other_id == person.user_id:
            raise InvalidInput("You'll never be paired with yourself, promise.")
        now = self._clock()
        with self._sessions.begin() as session:
            queries.upsert_member(session, person.user_id, name=person.name, tz=person.tz, now=now)
            existing = session.get(CoffeeAvoid, (person.user_id, other_id))
            if remove and existing is not None:
                session.delete(existing)
            elif not remove and existing is None:
                session.add(CoffeeAvoid(user_id=person.user_id, avoided_id=other_id, created_at=now))
            session.flush()
            return len(cq.avoided_ids(session, person.user_id))

    def _update(self, person: Person, pool: str | None, **changes: object) -> CoffeeStatus:
        now = self._clock()
        with self._sessions.begin() as session:
            queries.upsert_member(session, person.user_id, name=person.name, tz=person.tz, now=now)
            found = find_pool(session, pool, now=now)
            row = cq.participant(session, found.id, person.user_id, now=now)
            for name, value in changes.items():
                setattr(row, name, value)
            row.updated_at = now
            session.flush()
            return self._status(session, found, person, now)

    def _status(self, session: Session, pool: CoffeePool, person: Person, now: datetime) -> CoffeeStatus:
        row = session.get(CoffeeParticipant, (pool.id, person.user_id))
        via_channel = person.user_id in cq.channel_member_ids(session, pool.id)
        joined = bool(row and row.opted_in)
        opted_out = bool(row and row.opted_out)
        paused = row.paused_until if row and row.paused_until and row.paused_until > now else None
        return CoffeeStatus(
            in_pool=(joined or via_channel) and not opted_out and paused is None,
            joined=joined,
            via_channel=via_channel,
            opted_out=opted_out,
            paused_until=paused,
            next_round=self._schedule.view(pool, now).next_round,
            avoid_count=len(cq.avoided_ids(session, person.user_id)),
            tz=person.tz,
            pool=pool.name,
        )
