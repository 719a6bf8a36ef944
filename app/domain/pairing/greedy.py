"""The greedy method for pools above exact.EXACT_LIMIT: windows along the time zones, then an exact tail."""

from __future__ import annotations

import random

from app.domain.pairing.exact import plan_exact, repeat_cost
from app.domain.pairing.scoring import Pool

# The exact tail of a greedy round plans at most this many people at a time (the tail is the last few
# dozen people of a large pool: a smaller bound than the whole-pool EXACT_LIMIT keeps it quick).
TAIL_LIMIT = 200
# The greedy pass compares each person with the next LOOK_AHEAD - 1 people still waiting.
LOOK_AHEAD = 8
# After the greedy pass, this many of the last pairs are reopened and re-matched exactly with the
# people left waiting, so the end of the pass is not forced into repeats.
REOPEN_PAIRS = 24
# In a greedy round, this many first-in-line people each scan the whole pool for their partner (O(n)
# each); the rest of them lead the exact tail.
FIRST_SCAN = 200
_TZ_UNKNOWN = 1 << 20
TZ_BAND = 240  # minutes: the time-zone bands of the greedy's second pass


def _window_pass(
    ctx: Pool, order: list[int], width: int, floor: int, *, other_team: bool = False
) -> tuple[list[tuple[int, int]], list[int]]:
    """Pair people in ``order``: the first waiting takes the best allowed partner among the next width-1.

    A partner is allowed when not avoided, not met in round ``floor`` or later and, with
    ``other_team``, not of the same known team. Who finds none is returned as waiting, with whoever
    is still in the window at the end. O(len(order) * width).
    """
    hid, get, avoid, score, top, team = ctx.hid, ctx.last.get, ctx.avoid, ctx.score, ctx.top, ctx.team
    pairs: list[tuple[int, int]] = []
    waiting: list[int] = []
    window: list[int] = []
    for x in order:
        window.append(x)
        if len(window) < width:
            continue
        p = window.pop(0)
        hp = hid[p]
        best = -1
        best_score = -1
        for j, q in enumerate(window):
            hq = hid[q]
            # People absent from the history have hid -1: their keys are negative and never found.
            if get((hp << 32) | hq if hp < hq else (hq << 32) | hp, 0) >= floor:
                continue
            if avoid and ((p << 32) | q if p < q else (q << 32) | p) in avoid:
                continue
            if other_team and team[p] == team[q] >= 0:
                continue
            s = score(p, q)
            if s > best_score:
                best, best_score = j, s
                if s >= top:
                    break
        if best < 0:
            waiting.append(p)
        else:
            pairs.append((p, window.pop(best)))
    waiting.extend(window)
    return pairs, waiting


def _greedy_order(ctx: Pool, people: list[int], band_minutes: int, rng: random.Random) -> list[int]:
    """``people`` by time-zone band (UTC offset // band_minutes), at random within a band. O(n log n).

    (Spreading each team evenly through its band was tried: no better once pass 1 sends same-team
    leftovers to pass 2, and a third of the planner's time at 100,000 people.)
    """
    order = list(people)
    rng.shuffle(order)
    if ctx.prefer_tz:
        band = [_TZ_UNKNOWN if offset is None else offset // band_minutes for offset in ctx.tz]
        order.sort(key=band.__getitem__)  # stable: random within a band
    return order


def _first_in_line_pairs(ctx: Pool) -> tuple[list[tuple[int, int]], set[int]]:
    """Before the greedy passes, each first-in-line person (the first FIRST_SCAN of them) takes the best
    partner of the whole pool: allowed, fresh before met longest ago, then by preference. O(k * n)."""
    taken: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for p in [x for x in range(ctx.n) if ctx.first[x]][:FIRST_SCAN]:
        if p in taken:
            continue
        best, best_key = -1, (0, 0)
        for q in range(ctx.n):
            if q == p or q in taken or not ctx.allowed(p, q):
                continue
            key = (repeat_cost(ctx, p, q), -ctx.score(p, q))
            if best < 0 or key < best_key:
                best, best_key = q, key
        if best >= 0:
            pairs.append((p, best))
            taken.update((p, best))
    return pairs, taken


def plan_greedy(ctx: Pool, rng: random.Random) -> tuple[list[tuple[int, ...]], list[int]]:
    """Those first in line pick a partner first; pass 1 by exact UTC offset, never two of the same
    known team; pass 2 for who is left (mostly the surplus of a team that dominates its offset) in
    TZ_BAND-wide bands; then the exact tail."""
    first_pairs, taken = _first_in_line_pairs(ctx) if any(ctx.first) else ([], set())
    order = _greedy_order(ctx, [p for p in range(ctx.n) if p not in taken], 1, rng)
    pairs, waiting = _window_pass(ctx, order, LOOK_AHEAD, ctx.floor, other_team=ctx.prefer_team)
    pairs = first_pairs + pairs
    if ctx.prefer_team and waiting:
        more, waiting = _window_pass(ctx, _greedy_order(ctx, waiting, TZ_BAND, rng), LOOK_AHEAD, ctx.floor)
        pairs.extend(more)
    # Many people found no partner (a dense history or long avoid lists): look wider, then relax
    # the repeat window one round at a time, oldest meetings first.
    floor = ctx.floor
    width = 8 * LOOK_AHEAD
    while len(waiting) > TAIL_LIMIT // 2 and floor <= ctx.rounds + 1:
        more, waiting = _window_pass(ctx, waiting, width, floor)
        pairs.extend(more)
        if len(waiting) > TAIL_LIMIT // 2:
            floor += 1
    groups: list[tuple[int, ...]] = list(pairs[:-REOPEN_PAIRS])
    tail = waiting + [x for pair in pairs[-REOPEN_PAIRS:] for x in pair]
    tail.sort(key=lambda p: not ctx.first[p])  # (stable) whoever is first in line leads the exact tail
    done, left = _exact_in_chunks(ctx, tail, rng)
    room = (TAIL_LIMIT - len(left) - 3) // 2
    if left and room > 0 and groups:
        # Someone could not be placed among the tail: reopen random pairs from anywhere and retry.
        picked = sorted(rng.sample(range(len(groups)), min(room, len(groups))), reverse=True)
        reopened = [x for g in picked for x in groups.pop(g)]
        trio = [g for g in done if len(g) == 3]
        done = [g for g in done if len(g) != 3]
        regrouped, left = plan_exact(ctx, left + reopened + [x for g in trio for x in g], rng)
        done.extend(regrouped)
    groups.extend(done)
    return groups, left


def _exact_in_chunks(
    ctx: Pool, people: list[int], rng: random.Random
) -> tuple[list[tuple[int, ...]], list[int]]:
    """The exact method on at most TAIL_LIMIT people at a time; who is left carries to the next chunk.

    Usually one chunk. Each chunk takes at least TAIL_LIMIT / 2 new people, so the cost stays
    O(len(people) * TAIL_LIMIT^2); more than TAIL_LIMIT / 2 carried people (avoid wishes that
    exclude nearly everyone they could meet) are left over rather than carried on.
    """
    groups: list[tuple[int, ...]] = []
    carry: list[int] = []
    overflow: list[int] = []
    start = 0
    while True:
        take = TAIL_LIMIT - len(carry)
        chunk = carry + people[start : start + take]
        start += take
        last = start >= len(people)
        more, carry = plan_exact(ctx, chunk, rng, trio=last)
        groups.extend(more)
        if last:
            return groups, carry + overflow
        overflow.extend(carry[TAIL_LIMIT // 2 :])
        del carry[TAIL_LIMIT // 2 :]
