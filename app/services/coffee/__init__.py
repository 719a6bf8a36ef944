"""Coffee roulette: who is in the pool, the channels, the schedule, rounds and follow-ups.

``RouletteService`` is the one object the adapters hold; each room does its job: ``pool`` (join,
leave, pause, status, "don't pair me with"), ``channels`` (coffee channels and their members),
``schedule`` (when rounds run), ``rounds`` (preview, run, catch up, regroup) and ``followups``
("Did you meet?", answers, pausing the silent). Admin-only use cases ask ``app.services.admins``.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta

from sqlalchemy.orm import Session, sessionmaker

from app.db.models.coffee import DEFAULT_POOL
from app.services import admins
from app.services.clock import Clock, utc_now
from app.services.coffee.channels import ChannelReader, Channels
from app.services.coffee.followups import ANSWERS, UNANSWERED_BEFORE_PAUSE, Followups
from app.services.coffee.headsup import HeadsUps
from app.services.coffee.pool import Pool
from app.services.coffee.pools import MODES, Pools, PoolSpec
from app.services.coffee.rounds import Rounds
from app.services.coffee.schedule import DEFAULT_ANCHOR, Schedule
from app.services.coffee.views import (
    CoffeeStatus,
    FollowupAnswer,
    PoolChoice,
    PoolView,
    RouletteSettings,
    RoundSummary,
    ScheduleView,
)
from app.services.people import Person

__all__ = [
    "ANSWERS",
    "DEFAULT_ANCHOR",
    "DEFAULT_POOL",
    "MODES",
    "UNANSWERED_BEFORE_PAUSE",
    "ChannelReader",
    "CoffeeStatus",
    "FollowupAnswer",
    "PoolChoice",
    "PoolSpec",
    "PoolView",
    "RouletteService",
    "RouletteSettings",
    "RoundSummary",
    "ScheduleView",
]


class RouletteService:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        settings: RouletteSettings,
        *,
        clock: Clock = utc_now,
        seed_source: Callable[[], int] = lambda: secrets.randbits(62),
    ) -> None:
        self._settings = settings
        self._schedule = Schedule(sessions, settings, clock=clock)
        self._pool = Pool(sessions, self._schedule, clock=clock)
        self._pools = Pools(sessions, settings, self._schedule, clock=clock)
        self._channels = Channels(sessions, settings, clock=clock)
        self._rounds = Rounds(sessions, settings, self._schedule, clock=clock, seed_source=seed_source)
        self._followups = Followups(sessions, settings, clock=clock)
        self._heads_ups = HeadsUps(sessions, self._schedule, clock=clock)

    def require_admin(self, person: Person) -> None:
        admins.require_admin(self._settings.admins, person)

    # --- pools ---------------------------------------------------------------------------------

    def create_pool(self, person: Person, spec: PoolSpec) -> PoolView:
        return self._pools.create_pool(person, spec)

    def create_pool_and_sync(self, person: Person, spec: PoolSpec, read_members: ChannelReader) -> PoolView:
        """Make the pool, then record its channel's members (Slack read between the two transactions)."""
        created = self._pools.create_pool(person, spec)
        if spec.channel_id is None:
            return created
        people = read_members(spec.channel_id)
        if people is not None:
            self.record_channel_members(spec.channel_id, people)
        return next((p for p in self._pools.list_pools() if p.name == created.name), created)

    def list_pools(self) -> list[PoolView]:
        return self._pools.list_pools()

    # --- one's place in a pool ("coffee" when none is named) -----------------------------------

    def join(self, person: Person, pool: str | None = None) -> CoffeeStatus | PoolChoice:
        return self._pool.join(person, pool)

    def leave(self, person: Person, pool: str | None = None) -> CoffeeStatus:
        return self._pool.leave(person, pool)

    def resume(self, person: Person, pool: str | None = None) -> CoffeeStatus:
        return self._pool.resume(person, pool)

    def pause(
        self,
        person: Person,
        *,
        duration: timedelta | None = None,
        until_date: date | None = None,
        pool: str | None = None,
    ) -> CoffeeStatus:
        return self._pool.pause(person, duration=duration, until_date=until_date, pool=pool)

    def status(self, person: Person, pool: str | None = None) -> CoffeeStatus:
        return self._pool.status(person, pool)

    def avoid(self, person: Person, other_id: str, *, remove: bool) -> int:
        return self._pool.avoid(person, other_id, remove=remove)

    # --- channels (admin) ------------------------------------------------------------------------

    def add_channel(self, person: Person, channel_id: str, name: str, pool: str | None = None) -> None:
        self._channels.add_channel(person, channel_id, name, pool)

    def channels(self, pool: str | None = None) -> list[str]:
        return self._channels.channels(pool)

    def record_channel_members(self, channel_id: str, people: Iterable[Person]) -> int:
        return self._channels.record_channel_members(channel_id, people)

    def add_channel_and_sync(
        self, person: Person, channel_id: str, name: str, read_members: ChannelReader
    ) -> int | None:
        """Make a channel a coffee channel and record its members now; None if Slack won't list them.

        The channel is kept either way (members are read again before each round). Slack is read
        between the two transactions, never inside one.
        """
        self.add_channel(person, channel_id, name)
        people = read_members(channel_id)
        return None if people is None else self.record_channel_members(channel_id, people)

    def sync_channels_and_run_now(
        self, person: Person, read_members: ChannelReader, pool: str | None = None
    ) -> RoundSummary:
        """An admin's "run a round now": refresh the pool's channels' members, then run its round."""
        self.require_admin(person)
        for channel_id in self.channels(pool or DEFAULT_POOL):
            people = read_members(channel_id)
            if people is not None:  # an unreadable channel keeps the members it had
                self.record_channel_members(channel_id, people)
        return self.run_now(person, pool)

    # --- schedule --------------------------------------------------------------------------------

    def schedule(self, pool: str | None = None) -> ScheduleView:
        return self._schedule.schedule(pool)

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
        return self._schedule.set_schedule(
            person, every_weeks=every_weeks, weekday=weekday, at=at, tz=tz, pool=pool
        )

    # --- rounds ----------------------------------------------------------------------------------

    def preview(self, person: Person, pool: str | None = None) -> RoundSummary:
        return self._rounds.preview(person, pool)

    def run_now(self, person: Person, pool: str | None = None) -> RoundSummary:
        return self._rounds.run_now(person, pool)

    def round_is_due(self, *, now: datetime | None = None) -> bool:
        return self._rounds.round_is_due(now=now)

    def run_due_rounds(self, *, now: datetime | None = None) -> int:
        return self._rounds.run_due_rounds(now=now)

    def partner_unreachable(self, group_id: int, user_id: str) -> int | None:
        return self._rounds.partner_unreachable(group_id, user_id)

    # --- the day before ---------------------------------------------------------------------------

    def send_due_heads_ups(self, *, now: datetime | None = None) -> int:
        return self._heads_ups.send_due_heads_ups(now=now)

    def skip(self, person: Person, pool_id: int, round_at: datetime) -> bool:
        return self._heads_ups.skip(person, pool_id, round_at)

    # --- follow-ups ------------------------------------------------------------------------------

    def send_due_followups(self, *, now: datetime | None = None) -> int:
        return self._followups.send_due_followups(now=now)

    def answer_followup(self, person: Person, group_id: int, answer: str) -> FollowupAnswer:
        return self._followups.answer_followup(person, group_id, answer)

    def settle_followups(self, *, now: datetime | None = None) -> int:
        return self._followups.settle_followups(now=now)
