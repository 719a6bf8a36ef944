"""What the modes "across two groups", "in person" and "lottery" read from the database before the
domain plans."""

from __future__ import annotations

import random
from collections.abc import Collection, Sequence
from dataclasses import replace

from sqlalchemy.orm import Session

from app.db import coffee_queries as cq
from app.db.models import CoffeePool
from app.domain.offices import days_from_text
from app.domain.pairing import PairHistory, Participant, Plan
from app.domain.pairing.groups import as_plan
from app.domain.pairing.in_person import plan_in_person, shared_day
from app.domain.pairing.lottery import draw_lottery, lottery_as_plan
from app.services.coffee.sides import read_sides


def two_sides(
    session: Session, pool: CoffeePool, people: Sequence[Participant]
) -> tuple[dict[str, bool], list[str]]:
    """Each person's side (True: the first named) and, sorted, who is on neither (not placed)."""
    rule = read_sides(pool.settings.get("sides"))
    if rule is None:  # the form refuses this; a pool edited by hand falls back to one side
        return {p.user_id: False for p in people}, []
    if rule.field == "mentors":
        mentors = cq.active_mentor_ids(session, (p.user_id for p in people))
        return {p.user_id: p.user_id in mentors for p in people}, []
    offices = cq.offices_of(session, (p.user_id for p in people)) if rule.field == "office" else {}
    sides = {}
    outside = []
    for p in people:
        side = rule.side(p, offices[p.user_id][0] if p.user_id in offices else None)
        if side is None:
            outside.append(p.user_id)
        else:
            sides[p.user_id] = side
    return sides, sorted(outside)


def plan_lottery(
    session: Session,
    pool: CoffeePool,
    people: Sequence[Participant],
    rng: random.Random,
    avoid: Collection[tuple[str, str]],
) -> Plan:
    """The hosts (those of them in the register and not skipping) and this round's draw."""
    hosts = [str(h) for h in pool.settings.get("hosts") or []]
    present = set(cq.members_by_id(session, hosts))
    hosts_here = [h for h in hosts if h in present]
    avoid = [*avoid, *cq.avoid_pairs(session, [*hosts_here, *(p.user_id for p in people)])]
    plan = draw_lottery(
        people,
        hosts_here,
        draw=int(pool.settings.get("draw") or 1),
        times_drawn=cq.times_in_groups(session, pool.id),
        rng=rng,
        avoid=avoid,
    )
    return lottery_as_plan(plan)


def plan_in_person_round(
    session: Session,
    pool: CoffeePool,
    people: Sequence[Participant],
    history: PairHistory,
    window: int,
    rng: random.Random,
    avoid: Collection[tuple[str, str]],
) -> Plan:
    """Groups within each office; who has no office (or is alone in theirs) is not placed, with why."""
    offices = cq.offices_of(session, (p.user_id for p in people))
    planned = plan_in_person(
        people,
        {u: name for u, (name, _) in offices.items()},
        history,
        rng=rng,
        size=pool.group_size,
        repeat_window=window,
        avoid=avoid,
        never_same_team=pool.never_same_team,
    )
    placed = [p for p in people if p.user_id not in dict(planned.not_placed)]
    return replace(as_plan(planned.plan, placed), not_placed=planned.not_placed)


def in_person_days(
    offices: dict[str, tuple[str, str]], members: Sequence[str]
) -> tuple[str | None, int | None, bool]:
    """A group's office, the weekday most of it is usually in, and whether all are."""
    known = [offices[u] for u in members if u in offices]
    if not known:
        return None, None, False
    day, all_in = shared_day([days_from_text(days) for _, days in known])
    return known[0][0], day, all_in and len(known) == len(members)
