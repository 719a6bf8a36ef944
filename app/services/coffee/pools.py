"""Coffee pools: an admin makes a named pool (its schedule, group size, repeat window, mode); anyone
lists them with each one's next round and how many take part."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from app.db import coffee_queries as cq
from app.db.models import CoffeeChannel, CoffeePool
from app.domain.errors import Conflict, InvalidInput
from app.domain.schedule import RoundSchedule
from app.services import admins
from app.services.clock import Clock
from app.services.coffee.schedule import Schedule
from app.services.coffee.sides import SIDES_HINT, read_sides
from app.services.coffee.views import PoolView, RouletteSettings
from app.services.people import Person

MODES = ("random", "senior", "two_sides", "in_person", "lottery")
GROUP_SIZES = range(2, 7)
NAME_LENGTH = 40


@dataclass(frozen=True, slots=True)
class PoolSpec:
    """What the "New coffee pool" modal asks for."""

    name: str
    every_weeks: int
    weekday: int
    at: time
    tz: str
    group_size: int = 2
    repeat_window: int = 6
    mode: str = "random"
    heads_up: bool = True
    intro_at: time = time(9, 30)
    never_same_team: bool = False
    channel_id: str | None = None  # None: people join it themselves
    channel_name: str = ""
    settings: dict[str, Any] = field(default_factory=dict)

    def validate(self) -> None:
        name = self.name.strip()
        if not name or len(name) > NAME_LENGTH or not all(c.isalnum() or c in "-_" for c in name):
            raise InvalidInput(
                f"A pool's name is one word of up to {NAME_LENGTH} letters, digits, - or _ (e.g. `mentors`)."
            )
        if self.group_size not in GROUP_SIZES:
            raise InvalidInput("Groups are of 2 to 6 people.")
        if not 1 <= self.repeat_window <= 52:
            raise InvalidInput("The repeat window is 1 to 52 rounds.")
        if self.mode not in MODES:
            raise InvalidInput(f"A pool's mode is one of: {', '.join(MODES)}.")
        try:
            ZoneInfo(self.tz)
        except (ValueError, KeyError, OSError):
            raise InvalidInput(f"I don't know the time zone “{self.tz[:64]}”.") from None
        RoundSchedule(self.every_weeks, self.weekday, self.at, self.tz, datetime(2024, 1, 1).date())
        self._validate_mode()

    def _validate_mode(self) -> None:
        """What each mode needs to know (the mode's own rules apply when its rounds run)."""
        settings = self.settings
        if self.mode == "senior" and not isinstance(settings.get("level"), int):
            raise InvalidInput("Coffee with a senior needs the senior level, e.g. `level=3`.")
        if self.mode == "two_sides" and read_sides(settings.get("sides")) is None:
            raise InvalidInput(f"Across two groups needs its sides: {SIDES_HINT}.")
        if self.mode == "lottery":
            hosts = settings.get("hosts")
            if not isinstance(hosts, list) or not 1 <= len(hosts) <= 2:
                raise InvalidInput("A lottery needs one or two hosts, e.g. `hosts=U0CEO draw=3`.")
            if not all(isinstance(h, str) and h[:1] in "UW" and h.isalnum() and h.isupper() for h in hosts):
                raise InvalidInput("Name the lottery's hosts by member ID, e.g. `hosts=U0CEO draw=3`.")
            if not isinstance(settings.get("draw"), int) or not 1 <= settings["draw"] <= 5:
                raise InvalidInput("A lottery draws 1 to 5 people each round, e.g. `hosts=U0CEO draw=3`.")


class Pools:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        settings: RouletteSettings,
        schedule: Schedule,
        *,
        clock: Clock,
    ) -> None:
        self._sessions = sessions
        self._settings = settings
        self._schedule = schedule
        self._clock = clock

    def create_pool(self, person: Person, spec: PoolSpec) -> PoolView:
        admins.require_admin(self._settings.admins, person)
        spec.validate()
        now = self._clock()
        local_today = now.astimezone(ZoneInfo(spec.tz)).date()
        with self._sessions.begin() as session:
            cq.default_pool(session, now=now)
            if cq.pool_named(session, spec.name) is not None:
                raise Conflict(f"There is already a pool called “{spec.name.strip()}”.")
            pool = CoffeePool(
                name=spec.name.strip(),
                mode=spec.mode,
                group_size=spec.group_size,
                repeat_window=spec.repeat_window,
                every_weeks=spec.every_weeks,
                weekday=spec.weekday,
                at_time=spec.at.strftime("%H:%M"),
                tz=spec.tz,
                anchor=datetime.combine(local_today, time(0, 0), tzinfo=UTC),
                heads_up=spec.heads_up,
                intro_at=spec.intro_at.strftime("%H:%M"),
                never_same_team=spec.never_same_team,
                settings=dict(spec.settings),
                created_by=person.user_id,
                created_at=now,
                updated_by=person.user_id,
                updated_at=now,
            )
            session.add(pool)
            session.flush()
            if spec.channel_id is not None:
                channel = session.get(CoffeeChannel, spec.channel_id)
                if channel is None:
                    session.add(
                        CoffeeChannel(
                            channel_id=spec.channel_id,
                            pool_id=pool.id,
                            name=spec.channel_name,
                            added_by=person.user_id,
                            added_at=now,
                        )
                    )
                else:  # a channel feeds one pool: it moves to the new one
                    channel.pool_id = pool.id
            session.flush()
            return self._view(session, pool, now)

    def list_pools(self) -> list[PoolView]:
        now = self._clock()
        with self._sessions.begin() as session:
            cq.default_pool(session, now=now)
            return [self._view(session, pool, now) for pool in cq.pools(session)]

    def _view(self, session: Session, pool: CoffeePool, now: datetime) -> PoolView:
        schedule = self._schedule.view(pool, now)
        return PoolView(
            name=pool.name,
            mode=pool.mode,
            group_size=pool.group_size,
            schedule=schedule.schedule.describe(),
            next_round=schedule.next_round,
            members=len(cq.pool_members(session, pool.id, now=now)),
            heads_up=pool.heads_up,
            channels=len(cq.channel_ids(session, pool.id)),
        )
