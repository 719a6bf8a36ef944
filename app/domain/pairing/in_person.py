"""In-person coffee: groups only of people of one office, and the weekday a group is usually in.

Pure: the standard library and the ``rng`` passed in. Each office's people are planned as their own
pool by :func:`~app.domain.pairing.groups.plan_sized_groups` (same guarantees), offices in name order
so the same rng state gives the same round.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter

from app.domain.pairing.groups import GroupPlan, plan_sized_groups
from app.domain.pairing.history import PairHistory
from app.domain.pairing.model import Group, Participant

NO_OFFICE = "no office set"
ALONE = "the only one of their office"


@dataclass(frozen=True, slots=True)
class InPersonPlan:
    """``plan``: the groups, each of one office. ``not_placed``: (user id, why), sorted."""

    plan: GroupPlan
    not_placed: tuple[tuple[str, str], ...]


def plan_in_person(
    pool: Sequence[Participant],
    office_of: Mapping[str, str],
    history: PairHistory,
    *,
    rng: random.Random,
    size: int,
    repeat_window: int,
    avoid: Collection[tuple[str, str]] = (),
    never_same_team: bool = False,
) -> InPersonPlan:
    """Groups within each office (``office_of``: user id -> office name). Nobody without an office is
    placed (``not_placed``: why), nor someone alone in theirs; everyone else as in plan_sized_groups."""
    by_office: dict[str, list[Participant]] = defaultdict(list)
    not_placed: list[tuple[str, str]] = []
    for p in sorted(pool, key=attrgetter("user_id")):
        office = office_of.get(p.user_id)
        if office is None:
            not_placed.append((p.user_id, NO_OFFICE))
        else:
            by_office[office].append(p)
    groups: list[Group] = []
    repeats: list[tuple[str, str]] = []
    left: list[str] = []
    for office in sorted(by_office):
        people = by_office[office]
        if len(people) < 2:
            not_placed.append((people[0].user_id, ALONE))
            continue
        plan = plan_sized_groups(
            people,
            history,
            rng=rng,
            size=size,
            repeat_window=repeat_window,
            avoid=avoid,
            never_same_team=never_same_team,
        )
        groups += plan.groups
        repeats += plan.repeats
        left += plan.left_out
    return InPersonPlan(
        GroupPlan(
            tuple(sorted(groups, key=attrgetter("members"))), tuple(sorted(repeats)), tuple(sorted(left))
        ),
        tuple(sorted(not_placed)),
    )


def shared_day(days: Sequence[Collection[int]]) -> tuple[int | None, bool]:
    """The weekday (Monday 0) most of a group is usually in, the earliest on a tie, and whether all
    are; (None, False) when nobody gave any days."""
    counts = Counter(d for person in days for d in set(person))
    if not counts:
        return None, False
    day, most = min(counts.items(), key=lambda item: (-item[1], item[0]))
    return day, most == len(days)
