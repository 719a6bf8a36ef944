"""Coffee roulette's settings and what its use cases return: plain frozen values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from app.domain.pairing import Plan
from app.domain.schedule import RoundSchedule


@dataclass(frozen=True, slots=True)
class RouletteSettings:
    admins: frozenset[str]
    default_tz: str = "UTC"
    repeat_window: int = 6
    grace: timedelta = timedelta(hours=12)
    followup_after: timedelta = timedelta(days=3)
    answer_window: timedelta = timedelta(days=3)
    mix_levels: bool = False


@dataclass(frozen=True, slots=True)
class CoffeeStatus:
    in_pool: bool
    joined: bool  # joined themselves (rather than through a channel)
    via_channel: bool
    opted_out: bool
    paused_until: datetime | None
    next_round: datetime
    avoid_count: int
    tz: str
    pool: str = "coffee"


@dataclass(frozen=True, slots=True)
class PoolChoice:
    """``join`` with no pool named when there are several: which one? (nothing changed)"""

    names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PoolView:
    """One pool as ``/mentor coffee pools`` lists it."""

    name: str
    mode: str
    group_size: int
    schedule: str
    next_round: datetime
    members: int
    heads_up: bool
    channels: int


@dataclass(frozen=True, slots=True)
class ScheduleView:
    schedule: RoundSchedule
    next_round: datetime
    is_default: bool


@dataclass(frozen=True, slots=True)
class RoundSummary:
    """What a round did (or, for a preview, would do). Names only for the admin who asked."""

    round_id: int | None
    seed: int
    pool_size: int
    groups: tuple[tuple[str, ...], ...]
    trios: int
    repeats: tuple[tuple[str, str], ...]
    left_out: tuple[str, ...]
    cross_team_share: float
    seniors_short: int = 0  # coffee with a senior: groups without one, seniors being too few
    unmixed: int = 0  # across two groups: groups of one side only
    not_placed: tuple[tuple[str, str], ...] = ()  # (user id, why) outside the mode: on neither side
    preview_state: str = ""  # "same": the kept preview held (its seed used); "stale": it had changed

    @classmethod
    def of(cls, round_id: int | None, seed: int, pool_size: int, plan: Plan) -> RoundSummary:
        groups = tuple(g.members for g in plan.groups)
        return cls(
            round_id=round_id,
            seed=seed,
            pool_size=pool_size,
            groups=groups,
            trios=sum(1 for g in groups if len(g) == 3),
            repeats=tuple(plan.repeats),
            left_out=tuple(plan.left_out),
            cross_team_share=plan.cross_team_share,
            seniors_short=plan.seniors_short,
            unmixed=plan.unmixed,
            not_placed=tuple(plan.not_placed),
        )


@dataclass(frozen=True, slots=True)
class FollowupAnswer:
    group_id: int
    answer: str
    changed: bool
