"""Coffee channels: an admin names a channel; its members are in the pool (synced before each round)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlalchemy.orm import Session, sessionmaker

from app.db import coffee_queries as cq
from app.db import queries
from app.db.models import CoffeeChannel
from app.domain.errors import NotFound
from app.services import admins
from app.services.clock import Clock
from app.services.coffee.schedule import find_pool
from app.services.coffee.views import RouletteSettings
from app.services.people import Person

# A coffee channel's human members as Slack lists them, or None when Slack won't (the adapter's job).
ChannelReader = Callable[[str], "list[Person] | None"]


class Channels:
    def __init__(self, sessions: sessionmaker[Session], settings: RouletteSettings, *, clock: Clock) -> None:
        self._sessions = sessions
        self._settings = settings
        self._clock = clock

    def add_channel(self, person: Person, channel_id: str, name: str, pool: str | None = None) -> None:
        """Attach a channel to a pool ("coffee" when none is named); naming a pool moves it there."""
        admins.require_admin(self._settings.admins, person)
        now = self._clock()
        with self._sessions.begin() as session:
            found = find_pool(session, pool, now=now)
            row = session.get(CoffeeChannel, channel_id)
            if row is None:
                session.add(
                    CoffeeChannel(
                        channel_id=channel_id,
                        pool_id=found.id,
                        name=name,
                        added_by=person.user_id,
                        added_at=now,
                    )
                )
            elif pool is not None:
                row.pool_id = found.id

    def channels(self, pool: str | None = None) -> list[str]:
        """The coffee channels of the named pool, or of every pool when none is named."""
        now = self._clock()
        with self._sessions.begin() as session:
            pool_id = None if pool is None else find_pool(session, pool, now=now).id
            return cq.channel_ids(session, pool_id)

    def record_channel_members(self, channel_id: str, people: Iterable[Person]) -> int:
        """Store a channel's human members as Slack listed them (the adapter leaves out bots and leavers)."""
        now = self._clock()
        people = list(people)
        with self._sessions.begin() as session:
            channel = cq.lock_channel(session, channel_id)
            if channel is None:
                raise NotFound("That channel is not a coffee channel.")
            for member in people:
                queries.upsert_member(session, member.user_id, name=member.name, tz=member.tz, now=now)
            cq.replace_channel_members(session, channel_id, (p.user_id for p in people))
            channel.synced_at = now
        return len(people)
