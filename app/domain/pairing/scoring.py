"""The pool as flat lists, and the soft preferences between two people (points per pair)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from itertools import pairwise

from app.domain.pairing.history import PairHistory, pair_key
from app.domain.pairing.model import PairingPolicy, Participant

WORKDAY_MINUTES = 8 * 60  # both people are assumed to work 09:00-17:00 local time
_DAY = 24 * 60

# Soft preferences, in points per pair. Repeats and "avoid" wishes are not points: they are hard
# (avoid) or lexicographically dominant (repeats).
_CROSS_TEAM = 6  # both teams known and different
_TEAM_UNKNOWN = 3  # at least one team unknown
_MIXED_LEVEL = 3  # both levels known and different (only with mix_levels)
# Shared working time scores 2 points per hour up to 4 hours: enough to find a slot; more does not
# beat meeting someone from another team.
_TZ_POINTS_PER_HOUR = 2
_TZ_ENOUGH_HOURS = 4
_TZ_FULL_POINTS = _TZ_POINTS_PER_HOUR * _TZ_ENOUGH_HOURS
_TZ_UNKNOWN_POINTS = 4  # a time zone is unknown


def tz_overlap_minutes(a: int, b: int) -> int:
    """Shared working minutes of two people whose days run 09:00-17:00 local (offsets in minutes)."""
    d = abs(a - b) % _DAY
    d = min(d, _DAY - d)
    return WORKDAY_MINUTES - d if d < WORKDAY_MINUTES else 0


def group_overlap_minutes(offsets: Sequence[int]) -> int:
    """Shared working minutes of a group: the day minus the shortest arc holding every offset."""
    if len(offsets) == 2:
        return tz_overlap_minutes(offsets[0], offsets[1])
    points = sorted(o % _DAY for o in offsets)
    widest_gap = max([b - a for a, b in pairwise(points)] + [points[0] + _DAY - points[-1]])
    spread = _DAY - widest_gap
    return WORKDAY_MINUTES - spread if spread < WORKDAY_MINUTES else 0


class Pool:
    """The sorted pool as flat lists indexed by position, plus what every pair check needs."""

    __slots__ = (
        "avoid",
        "first",
        "floor",
        "hid",
        "ids",
        "last",
        "level",
        "n",
        "prefer_team",
        "prefer_tz",
        "rounds",
        "score",
        "team",
        "top",
        "tz",
        "window",
    )

    def __init__(
        self,
        people: Sequence[Participant],
        history: PairHistory,
        policy: PairingPolicy,
        avoid: Collection[tuple[str, str]],
    ) -> None:
        self.n = len(people)
        self.ids = [p.user_id for p in people]
        index = history.index
        self.hid = [index.get(u, -1) for u in self.ids]
        teams: dict[str, int] = {}
        self.team = [-1 if p.team is None else teams.setdefault(p.team, len(teams)) for p in people]
        self.level = [p.level or 0 for p in people]
        self.tz = [p.utc_offset_minutes for p in people]
        self.first = [p.first_in_line for p in people]
        self.last = history.last_met
        self.rounds = history.rounds
        # A pair "met within the window" when the last round they met is numbered floor or later.
        self.window = policy.repeat_window
        self.prefer_tz = policy.prefer_tz_overlap
        self.prefer_team = policy.prefer_cross_team
        self.floor = max(1, history.rounds - policy.repeat_window + 1)
        self.avoid: set[int] = set()
        position = {u: i for i, u in enumerate(self.ids)} if avoid else {}
        for a, b in avoid:
            ia, ib = position.get(a), position.get(b)
            if ia is not None and ib is not None and ia != ib:
                self.avoid.add(pair_key(ia, ib))
        self.score, self.top = _scorer(self.team, self.level, self.tz, policy)

    def met(self, p: int, q: int) -> int:
        """The number of the last round p and q met in, 0 if never."""
        hp, hq = self.hid[p], self.hid[q]
        if hp < 0 or hq < 0:
            return 0
        return self.last.get(pair_key(hp, hq), 0)

    def allowed(self, p: int, q: int) -> bool:
        return not self.avoid or pair_key(p, q) not in self.avoid


def _scorer(
    team: list[int], level: list[int], tz: list[int | None], policy: PairingPolicy
) -> tuple[Callable[[int, int], int], int]:
    """The soft-preference score of a pair (higher is better) and its maximum."""
    cross, mix, overlap = policy.prefer_cross_team, policy.mix_levels, policy.prefer_tz_overlap

    def score(p: int, q: int) -> int:
        s = 0
        if cross:
            a, b = team[p], team[q]
            if a < 0 or b < 0:
                s += _TEAM_UNKNOWN
            elif a != b:
                s += _CROSS_TEAM
        if mix:
            a, b = level[p], level[q]
            if a and b and a != b:
                s += _MIXED_LEVEL
        if overlap:
            x, y = tz[p], tz[q]
            if x is None or y is None:
                s += _TZ_UNKNOWN_POINTS
            elif x == y:
                s += _TZ_FULL_POINTS
            else:
                d = abs(x - y) % _DAY
                d = min(d, _DAY - d)
                if d < WORKDAY_MINUTES:
                    s += _TZ_POINTS_PER_HOUR * min(_TZ_ENOUGH_HOURS, (WORKDAY_MINUTES - d) // 60)
        return s

    top = _CROSS_TEAM * cross + _MIXED_LEVEL * mix + _TZ_FULL_POINTS * overlap
    return score, top
