"""Groups of 2-6 for a pool's round, with the pool's mode: ``random`` (any group size), ``senior``
(coffee with a senior: each group one person at or above a level, plus people below it) and
``two_sides`` (across two groups: every group mixes people of both sides).

Pure: the standard library and the ``rng`` passed in. Pairs (size 2, mode random) keep the exact
method of :func:`~app.domain.pairing.planner.plan_groups`; this module plans everything else.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter

from app.domain.pairing.history import PairHistory, pair_key
from app.domain.pairing.model import Group, Participant, Plan

HARD = 1 << 40  # an avoid wish, or the same team when a pool makes that a hard rule
REPEAT = 1 << 20  # one repeat within the window, more the more recent; always more than any preference
SWAP_TRIES = 40  # partners tried per person in a group that repeats or breaks a rule (large pools)
SMALL_POOL = 400  # up to this many people, every other person is tried
SWEEPS = 12
SIDEWAYS = 0.25  # the chance of taking a trade that costs the same
RESTARTS = 30  # fresh seatings tried (small pools) when the trades leave a repeat


@dataclass(frozen=True, slots=True)
class GroupPlan:
    """A round of groups. ``repeats``: pairs (sorted ids) in a group who met within the window.
    ``left_out``: nobody could be placed with them (avoid wishes, a hard team rule, a pool of one).
    ``seniors_short``: groups formed without a senior because there were too few (senior mode).
    ``unmixed``: groups of one side only because the smaller side was too small (two sides)."""

    groups: tuple[Group, ...]
    repeats: tuple[tuple[str, str], ...]
    left_out: tuple[str, ...]
    seniors_short: int = 0
    unmixed: int = 0


def plan_sized_groups(
    pool: Sequence[Participant],
    history: PairHistory,
    *,
    rng: random.Random,
    size: int,
    repeat_window: int,
    avoid: Collection[tuple[str, str]] = (),
    never_same_team: bool = False,
    senior_level: int | None = None,
    sides: Mapping[str, bool] | None = None,
) -> GroupPlan:
    """Split ``pool`` into ceil(n / size) groups whose sizes differ by at most one (never one person).

    Guarantees:

    * **Coverage**: everyone exactly once, in a group or in ``left_out``; no group of one.
    * **Hard rules never broken**: no avoided pair (either order) and, with ``never_same_team``, no two
      people of one known team share a group; whoever can't be placed under them is left out.
    * **Repeats avoided where a trade finds a way**: a group holding a pair who met within
      ``repeat_window`` rounds tries to trade each such member with everyone of other groups (pools
      up to SMALL_POOL; larger ones SWAP_TRIES drawn people), keeping any trade that lowers the two
      groups' cost (a more recent repeat costs more), in sweeps until none helps (at most SWEEPS).
      A local search, not an exact one: the round after a round repeats nobody when there are at
      least ``size`` groups (tested); later in a stable pool's cycle it may repeat before it must.
    * **Senior mode** (``senior_level`` set): seniors are people at or above the level. There are
      min(seniors, juniors, groups) senior groups, each opened by one senior (drawn in turn, so
      seniors rotate) with juniors after; when seniors are short, the other groups are ordinary and
      their number is ``seniors_short``. Trades are senior for senior and junior for junior, so no
      senior group loses its senior.
    * **Two sides** (``sides`` set: user id -> True for side A, False or absent for side B): the
      smaller side plays the seniors' part, so min(side A, side B, groups) groups each hold one of
      the smaller side and one of the larger at least, and trades keep each group's mix. With no
      hard rule in the way every group mixes both sides when the smaller side has one person per
      group; ``unmixed`` counts the groups of one side only.
    * **Deterministic**: the same ``rng`` state, pool (any order), history and rules, the same plan.

    Cost: O(n) to seat everyone, then per sweep O(bad * tries * size) for the trades, bad being the
    people in a group that breaks a rule or repeats, tries n (small pools) or SWAP_TRIES.
    """
    if not 2 <= size <= 6:
        raise ValueError("groups are of 2 to 6 people")
    people = sorted(pool, key=attrgetter("user_id"))
    n = len(people)
    if n < 2:
        return GroupPlan((), (), tuple(p.user_id for p in people))
    order = list(range(n))
    rng.shuffle(order)
    order.sort(key=lambda i: not people[i].first_in_line)  # stable: first in line, then the draw
    if sides is not None:
        side_a = sum(bool(sides.get(p.user_id)) for p in people)
        minority = side_a <= n - side_a  # True: side A is the smaller (or as large)
        senior = [bool(sides.get(p.user_id)) == minority for p in people]
    else:
        senior = [senior_level is not None and (people[i].level or 0) >= senior_level for i in range(n)]
    leading = senior_level is not None or sides is not None
    count = -(-n // size)
    sizes = [n // count + (g < n % count) for g in range(count)]
    seniors = [i for i in order if senior[i]]
    juniors = [i for i in order if not senior[i]]
    led = min(len(seniors), len(juniors), count) if leading else 0
    cost = _Cost(people, history, repeat_window, avoid, never_same_team)
    groups: list[list[int]] = []
    best = -1
    attempts = RESTARTS if n <= SMALL_POOL else 1
    for attempt in range(attempts):  # a fresh draw escapes a local minimum
        if attempt:
            rng.shuffle(juniors)
            rng.shuffle(seniors)
        tried = _seat(count, sizes, led, seniors, juniors)
        _improve(tried, cost, senior, rng)
        if attempts == 1:
            groups = tried
            break
        total = sum(cost.of(g) for g in tried)
        if best < 0 or total < best:
            groups, best = tried, total
        if total < REPEAT:
            break  # no repeat and no broken rule: nothing left to win
    left: list[int] = []
    flawed = [cost.of(g) >= REPEAT for g in groups]  # a repeat or a broken rule: the rest need no look
    for g in (g for g, bad in zip(groups, flawed, strict=True) if bad):
        # What the trades could not mend: take out whoever breaks a hard rule.
        while (worst := _breaker(g, cost)) is not None:
            g.remove(worst)
            left.append(worst)
    seated = [len(g) for g in groups]
    _place_singles(groups, left, cost)
    out, repeats = [], []
    for g, bad, was in zip(groups, flawed, seated, strict=True):
        if not g:
            continue
        members = tuple(sorted(people[p].user_id for p in g))
        out.append(Group(members, members[rng.randrange(len(members))]))
        if not bad and len(g) == was:  # fine after the trades, and nobody placed in it since
            continue
        for x, p in enumerate(g):
            for q in g[x + 1 :]:
                if cost.repeat(p, q):
                    repeats.append(tuple(sorted((people[p].user_id, people[q].user_id))))
    out.sort(key=lambda grp: grp.members)
    short = count - led if leading else 0
    return GroupPlan(
        tuple(out),
        tuple(sorted(repeats)),  # type: ignore[arg-type]
        tuple(sorted(people[p].user_id for p in left)),
        seniors_short=short if senior_level is not None and sides is None else 0,
        unmixed=_unmixed(out, sides) if sides is not None else 0,
    )


def _unmixed(groups: Sequence[Group], sides: Mapping[str, bool]) -> int:
    """Groups all of one side (a lone member who joined a group may have mixed one after all)."""
    return sum(len({bool(sides.get(m)) for m in g.members}) < 2 for g in groups)


def _seat(count: int, sizes: list[int], led: int, seniors: list[int], juniors: list[int]) -> list[list[int]]:
    """The first seating: each senior group opened by a senior, then one junior each, then the rest."""
    groups: list[list[int]] = [[] for _ in range(count)]
    for g in range(led):
        groups[g].append(seniors[g])
    queue = juniors + seniors[led:]  # juniors first: each senior group gets one before anyone gets two
    fill = list(range(led))
    fill += [g for g in range(count) for _ in range(sizes[g] - 2 * (g < led))]
    for person, g in zip(queue, fill, strict=True):
        groups[g].append(person)
    return groups


class _Cost:
    """Pair costs on positions: the history looked up by int keys (each person's history index found
    once), avoid wishes and teams as ints, so the trades' inner loop does no string hashing."""

    def __init__(
        self,
        people: Sequence[Participant],
        history: PairHistory,
        window: int,
        avoid: Collection[tuple[str, str]],
        never_same_team: bool,
    ) -> None:
        self.people = people
        index = history.index
        self.hid = [index.get(p.user_id, -1) for p in people]
        self.last = history.last_met
        # Met within the window: the last round they met is numbered floor or later (1 = oldest held).
        self.floor = history.rounds - window + 1
        position = {p.user_id: i for i, p in enumerate(people)}
        self.avoided = {
            pair_key(position[a], position[b]) for a, b in avoid if a in position and b in position and a != b
        }
        teams: dict[str, int] = {}
        self.team = [-1 if p.team is None else teams.setdefault(p.team, len(teams)) for p in people]
        self.never_same_team = never_same_team

    def _met(self, a: int, b: int) -> int:
        """The round a and b last met in if within the window, else 0."""
        ha, hb = self.hid[a], self.hid[b]
        if ha < 0 or hb < 0:
            return 0
        met = self.last.get((ha << 32) | hb if ha < hb else (hb << 32) | ha, 0)
        return met if met >= self.floor else 0

    def repeat(self, a: int, b: int) -> bool:
        return self._met(a, b) > 0

    def hard(self, a: int, b: int) -> bool:
        if self.avoided and ((a << 32) | b if a < b else (b << 32) | a) in self.avoided:
            return True
        team = self.team[a]
        return self.never_same_team and team >= 0 and team == self.team[b]

    def pair(self, a: int, b: int) -> int:
        if self.hard(a, b):
            return HARD
        met = self._met(a, b)
        total = REPEAT * (met - self.floor + 1) if met else 0
        team = self.team[a]
        return total + (team >= 0 and team == self.team[b])

    def of(self, group: Sequence[int]) -> int:
        """The sum of :meth:`pair` over the group's pairs, inlined: this runs for every group, every sweep."""
        hid, get, floor, team, avoided, strict = (
            self.hid,
            self.last.get,
            self.floor,
            self.team,
            self.avoided,
            self.never_same_team,
        )
        total = 0
        for x, p in enumerate(group):
            hp, tp = hid[p], team[p]
            for q in group[x + 1 :]:
                same_team = tp >= 0 and tp == team[q]
                if (avoided and ((p << 32) | q if p < q else (q << 32) | p) in avoided) or (
                    strict and same_team
                ):
                    total += HARD
                    continue
                hq = hid[q]
                if hp >= 0 and hq >= 0:
                    met = get((hp << 32) | hq if hp < hq else (hq << 32) | hp, 0)
                    if met and met >= floor:
                        total += REPEAT * (met - floor + 1)
                total += same_team
        return total

    def with_(self, person: int, group: Sequence[int]) -> int:
        return sum(self.pair(person, q) for q in group if q != person)


def _improve(groups: list[list[int]], cost: _Cost, senior: list[bool], rng: random.Random) -> None:
    where = {p: g for g, members in enumerate(groups) for p in members}
    everyone = sorted(where)
    small = len(everyone) <= SMALL_POOL
    # Groups worth a look this sweep: after the first, only those found bad or changed by a trade in
    # the last one (every other group is known fine), plus those a trade changes during this one.
    check: set[int] | None = None
    for _ in range(SWEEPS):  # sweeps until none mends anything: a trade can make another one worth it
        traded = False
        touched: set[int] = set()
        for g, members in enumerate(groups):
            if check is not None and g not in check and g not in touched:
                continue
            if cost.of(members) < REPEAT:
                continue  # the whole group is fine: one look at its pairs rather than one per member
            touched.add(g)
            for person in list(members):
                if person not in members or cost.with_(person, members) < REPEAT:
                    continue  # no rule broken and no repeat: nothing to mend for them
                if small:  # everyone is a candidate, in a drawn order
                    candidates = everyone[:]
                    rng.shuffle(candidates)
                else:
                    candidates = [everyone[rng.randrange(len(everyone))] for _ in range(SWAP_TRIES)]
                for other in candidates:
                    h = where[other]
                    if h == g or senior[other] != senior[person]:
                        continue
                    theirs = groups[h]
                    before = cost.with_(person, members) + cost.with_(other, theirs)
                    mine_after = [q for q in members if q != person]
                    theirs_after = [q for q in theirs if q != other]
                    after = cost.with_(other, mine_after) + cost.with_(person, theirs_after)
                    sideways = after == before and rng.random() < SIDEWAYS  # to walk off a plateau
                    if after < before or sideways:
                        members[members.index(person)] = other
                        theirs[theirs.index(other)] = person
                        where[person], where[other] = h, g
                        touched.add(h)
                        traded = traded or after < before
                        break
        if not traded:
            return
        check = touched


def _breaker(group: list[int], cost: _Cost) -> int | None:
    """The member in the most hard-rule conflicts in ``group``, or None when it breaks none. Whoever
    is first in line (left out last time) is taken out only when nobody else in a conflict is."""
    worst, most = None, (False, 0)
    for p in group:
        conflicts = sum(cost.hard(p, q) for q in group if q != p)
        rank = (conflicts > 0 and not cost.people[p].first_in_line, conflicts)
        if conflicts and (worst is None or rank > most):
            worst, most = p, rank
    return worst


def _place_singles(groups: list[list[int]], left: list[int], cost: _Cost) -> None:
    """No group of one: a lone member joins the cheapest group that takes them, else is left out. Those
    left out by a hard rule get the same chance (a group may grow one over its size)."""
    lone = [g[0] for g in groups if len(g) == 1]
    for g in groups:
        if len(g) == 1:
            g.clear()
    for person in sorted(lone + left, key=lambda p: (not cost.people[p].first_in_line, p)):
        if person in left:
            left.remove(person)
        best, best_cost = None, HARD
        for g in groups:
            if len(g) < 2:
                continue
            c = cost.with_(person, g)
            if c < best_cost:
                best, best_cost = g, c
        if best is None:
            left.append(person)
        else:
            best.append(person)
    left.sort()


def as_plan(plan: GroupPlan, pool: Sequence[Participant]) -> Plan:
    """The same round as a :class:`Plan` (what rounds store and summarise); the cross-team share is
    over groups with members of more than one known team."""
    team = {p.user_id: p.team for p in pool}
    groups = plan.groups
    cross = sum(len({team.get(m) for m in g.members} - {None}) > 1 for g in groups)
    return Plan(
        groups=groups,
        repeats=plan.repeats,
        left_out=plan.left_out,
        cross_team_share=cross / len(groups) if groups else 0.0,
        exact=False,
        seniors_short=plan.seniors_short,
        unmixed=plan.unmixed,
    )
