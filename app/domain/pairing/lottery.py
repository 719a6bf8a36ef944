"""Lottery rounds ("coffee with the CEO"): one or two fixed hosts meet a few people drawn each round.

Pure: the standard library and the ``rng`` passed in. Fairness comes from the pool's round history:
``times_drawn`` counts how often each person already sat at the hosts' table, and the draw takes
people with the lowest count first, so nobody is drawn twice before everyone has been once.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from app.domain.pairing.model import Group, Participant, Plan


@dataclass(frozen=True, slots=True)
class LotteryPlan:
    """``group``: the hosts and the drawn, or None when nobody could sit with the hosts.
    ``drawn``: who was drawn (sorted). ``avoiding``: people passed over for a "don't pair" wish with
    a host."""

    group: Group | None
    drawn: tuple[str, ...]
    avoiding: tuple[str, ...]


def draw_lottery(
    pool: Sequence[Participant],
    hosts: Sequence[str],
    *,
    draw: int,
    times_drawn: Mapping[str, int],
    rng: random.Random,
    avoid: Collection[tuple[str, str]] = (),
) -> LotteryPlan:
    """Draw ``draw`` people of ``pool`` (hosts excluded) to meet ``hosts`` this round.

    Guarantees: the drawn are those with the fewest earlier draws (ties broken by ``rng``), so
    nobody is drawn twice before everyone eligible has been once; nobody with a "don't pair" wish
    with a host (either order) is drawn; no group of one (a host alone meets nobody: no group); the
    same rng state, pool (any order), hosts and history, the same draw. O(n log n).
    """
    if draw < 1:
        raise ValueError("a lottery draws at least one person")
    host_ids = sorted(set(hosts))
    avoided = {frozenset(p) for p in avoid}
    candidates = sorted({p.user_id for p in pool} - set(host_ids))
    avoiding = [u for u in candidates if any(frozenset((u, h)) in avoided for h in host_ids)]
    eligible = [u for u in candidates if u not in set(avoiding)]
    tie = {u: rng.random() for u in eligible}
    eligible.sort(key=lambda u: (times_drawn.get(u, 0), tie[u]))
    drawn = tuple(sorted(eligible[:draw]))
    members = tuple(sorted((*host_ids, *drawn)))
    if not drawn or len(members) < 2:
        return LotteryPlan(None, drawn=(), avoiding=tuple(avoiding))
    return LotteryPlan(Group(members, host_ids[0]), drawn=drawn, avoiding=tuple(avoiding))


def lottery_as_plan(plan: LotteryPlan) -> Plan:
    """The round as a :class:`Plan`: nobody is "left out" (not being drawn is the lottery, not a miss)."""
    return Plan(
        groups=(plan.group,) if plan.group is not None else (),
        repeats=(),
        left_out=(),
        cross_team_share=0.0,
        exact=True,
        not_placed=tuple((u, "avoids a host") for u in plan.avoiding),
    )
