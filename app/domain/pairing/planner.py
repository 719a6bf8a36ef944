"""plan_groups: the contract, the switch between the exact and the greedy method, the result."""

from __future__ import annotations

import random
from collections.abc import Collection, Sequence
from itertools import pairwise
from operator import attrgetter

from app.domain.pairing.exact import EXACT_LIMIT, plan_exact
from app.domain.pairing.greedy import plan_greedy
from app.domain.pairing.history import PairHistory
from app.domain.pairing.model import Group, PairingPolicy, Participant, Plan
from app.domain.pairing.scoring import Pool, group_overlap_minutes, tz_overlap_minutes


def plan_groups(
    pool: Sequence[Participant],
    history: PairHistory,
    *,
    rng: random.Random,
    policy: PairingPolicy = PairingPolicy(),
    avoid: Collection[tuple[str, str]] = (),
) -> Plan:
    """Split ``pool`` into coffee groups for one round.

    Guarantees:

    * **Coverage**: every member of the pool appears exactly once, in a group or in ``left_out``.
      Groups have two members; an odd number of placed people makes exactly one trio.
    * **Avoid wishes are never broken**: no group holds a pair listed in ``avoid`` (either order).
      Someone is left out only when those wishes leave no way to place them (a pool of one, or
      everyone left avoids them); never silently: they are in ``left_out``.
    * **Repeats only when unavoidable**: no two people who met within ``policy.repeat_window``
      rounds share a group if some plan avoids it. When none does, the rule is relaxed step by step:
      pairs that met longest ago are allowed first, and a pair that met more recently only when
      even that is not enough. Such pairs are listed in ``repeats``. For pools of up to
      :data:`EXACT_LIMIT` people this is exact for the pairs (and the most people placed); the trio
      of an odd pool is then placed by a local search (join a pair, or trade places with a pair
      member). Larger pools are paired greedily and exactly at the end, which in practice gives
      zero repeats whenever the history leaves each person a choice of partners.
    * **First in line**: people marked ``first_in_line`` are placed first. Exact (pools up to
      EXACT_LIMIT): the plan leaves out as few of them as any plan can (the matching maximises how
      many of them it covers before anything else; among single people, they join the trio first).
      Greedy: before the passes, each (up to FIRST_SCAN of them) takes the best allowed partner of
      the whole pool, and any still waiting lead the exact tail.
    * **Soft preferences**, after repeats: different known teams, different levels (``mix_levels``),
      shared working hours (``prefer_tz_overlap``); ties are broken with ``rng``. With a window that
      spans (nearly) a whole cycle of n - 1 rounds, they only tilt a random draw once everyone has
      met a quarter of the pool, to keep the cycle completable (see ``_cycle_mode``).
    * **Deterministic**: the same ``rng`` state, pool (in any order; it is sorted by user id first),
      history, policy and avoid list give the same plan. The proposer of each group is drawn with
      ``rng``. Raises ValueError for a user id that appears twice or a negative repeat window.

    Method and cost, with n = len(pool); the switch is at n = :data:`EXACT_LIMIT` (400):

    * n <= EXACT_LIMIT, exact. If the pairs not met within the window form a regular graph of degree
      at most :data:`FACTOR_MAX_DEGREE` (a stable even pool late in its cycle), the round is one of
      a 1-factorization of that graph found by a bounded search, so the coming rounds stay
      repeat-free too (a stable pool of 50 goes all 49 rounds). Otherwise a maximum-cardinality,
      maximum-weight matching (rustworkx's blossom algorithm, O(n^3): a whole plan of 100 people in
      25-50 ms, of 200 in 0.05-0.3 s, of 400 in 0.1-0.8 s), first on the fresh pairs only, then,
      if that leaves someone out, on all allowed pairs with weights in which one more recent repeat
      outweighs any number of older ones (exact for every round the weights hold a tier for, see
      ``exact._repeat_tiers``). The single person of an odd pool joins the pair that suits them
      best, or takes the place of a pair member who joins another pair; but an odd pool late in a
      long cycle (nobody first in line) picks a fresh trio first and matches everyone else around it
      (:mod:`~app.domain.pairing.odd_cycle`: 46 of at most 47 rounds for 51 people). O(n^2) memory.
    * n > EXACT_LIMIT, greedy: O(n log n) for the sort by UTC offset, O(n * LOOK_AHEAD) for the
      passes, the exact method on about 60 people at the end. Repeats are avoided whenever someone
      within reach is fresh, which at this size is nearly always (zero in the benchmarks); those
      left waiting are relaxed oldest meeting first. About 0.5 s and 17 MB of peak allocation for
      100,000 people with 12 rounds of history (see benchmarks/README.md).
    """
    if policy.repeat_window < 0:
        raise ValueError("repeat_window must not be negative")
    people = sorted(pool, key=attrgetter("user_id"))
    for a, b in pairwise(people):
        if a.user_id == b.user_id:
            raise ValueError(f"{a.user_id} appears twice in the pool")
    ctx = Pool(people, history, policy, avoid)
    if ctx.n <= EXACT_LIMIT:
        groups, left = plan_exact(ctx, list(range(ctx.n)), rng)
        return _finish(ctx, groups, left, rng, exact=True)
    groups, left = plan_greedy(ctx, rng)
    return _finish(ctx, groups, left, rng, exact=False)


def _finish(
    ctx: Pool, groups: list[tuple[int, ...]], left: list[int], rng: random.Random, *, exact: bool
) -> Plan:
    """The plan in user ids, proposers drawn with ``rng``, repeats and shares counted. O(n)."""
    ids, team, level, tz, hid, floor = ctx.ids, ctx.team, ctx.level, ctx.tz, ctx.hid, ctx.floor
    get = ctx.last.get
    out = []
    repeats = []
    cross = mixed = timed = overlap = 0
    coin = rng.getrandbits
    for g in groups:
        if len(g) == 2:  # the fast path for nearly every group
            a, b = g if g[0] < g[1] else (g[1], g[0])  # positions follow user ids: members sorted by id
            ia, ib = ids[a], ids[b]
            out.append(Group((ia, ib), ib if coin(1) else ia))
            ha, hb = hid[a], hid[b]
            if ha >= 0 and hb >= 0 and get((ha << 32) | hb if ha < hb else (hb << 32) | ha, 0) >= floor:
                repeats.append((ia, ib))
            ta, tb = team[a], team[b]
            cross += ta >= 0 and tb >= 0 and ta != tb
            la, lb = level[a], level[b]
            mixed += la > 0 and lb > 0 and la != lb
            oa, ob = tz[a], tz[b]
            if oa is not None and ob is not None:
                timed += 1
                overlap += tz_overlap_minutes(oa, ob)
            continue
        g = tuple(sorted(g))
        members = tuple(ids[p] for p in g)
        out.append(Group(members, rng.choice(members)))
        for x, p in enumerate(g):
            for q in g[x + 1 :]:
                if ctx.met(p, q) >= floor:
                    repeats.append((ids[p], ids[q]))
        cross += len({team[p] for p in g} - {-1}) > 1
        mixed += len({level[p] for p in g} - {0}) > 1
        offsets = [tz[p] for p in g]
        if None not in offsets:
            timed += 1
            overlap += group_overlap_minutes(offsets)  # type: ignore[arg-type]
    count = len(out)
    return Plan(
        groups=tuple(out),
        repeats=tuple(repeats),
        left_out=tuple(sorted(ids[p] for p in left)),
        cross_team_share=cross / count if count else 0.0,
        level_mix_share=mixed / count if count else 0.0,
        mean_tz_overlap_hours=overlap / timed / 60 if timed else 0.0,
        exact=exact,
    )
