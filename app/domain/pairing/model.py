"""Coffee roulette's values: who is in the pool, how a round is paired, and the plan it gets."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Participant:
    """Someone in this round's pool, with what pairing may use to mix people well.

    ``level`` runs from 1 (junior) to 5 (principal); ``utc_offset_minutes`` is the person's current
    offset from UTC. Every field but ``user_id`` may be unknown (None). ``first_in_line``: they were
    left without a group last time, so they are placed before anyone else (see ``plan_groups``).
    """

    user_id: str
    team: str | None = None
    level: int | None = None
    utc_offset_minutes: int | None = None
    first_in_line: bool = False


@dataclass(frozen=True, slots=True)
class PairingPolicy:
    """How a round is paired.

    ``repeat_window``: no two people who met in the last ``repeat_window`` rounds are paired again,
    unless no plan avoids it; then pairs that met longest ago are allowed first.
    """

    repeat_window: int = 6
    prefer_cross_team: bool = True
    mix_levels: bool = False
    prefer_tz_overlap: bool = True


@dataclass(frozen=True, slots=True)
class Group:
    """One coffee: two members, or three for the single trio of an odd pool.

    ``members`` are sorted by user id; ``proposer`` is the member asked to propose a time.
    """

    members: tuple[str, ...]
    proposer: str


@dataclass(frozen=True, slots=True)
class Plan:
    """The groups of one round and how good they are.

    ``repeats``: pairs (sorted user ids) inside groups who met within the repeat window; only those
    no plan could avoid. ``left_out``: people who could not be placed at all because of "don't pair"
    wishes (or a pool of one). The shares are over groups: ``cross_team_share`` counts groups with
    members from more than one known team, ``level_mix_share`` groups with more than one known level;
    ``mean_tz_overlap_hours`` is the mean shared working time (09:00-17:00 local) over groups whose
    time zones are all known. ``exact`` tells whether the exact method planned the whole pool.
    Groups of more than three come from :func:`app.domain.pairing.groups.plan_sized_groups`.
    """

    groups: tuple[Group, ...]
    repeats: tuple[tuple[str, str], ...]
    left_out: tuple[str, ...]
    cross_team_share: float
    level_mix_share: float = 0.0
    mean_tz_overlap_hours: float = 0.0
    exact: bool = True
    seniors_short: int = 0  # coffee with a senior: groups formed without one, seniors being too few
    unmixed: int = 0  # across two groups: groups of one side only, the smaller side being too small
    not_placed: tuple[tuple[str, str], ...] = ()  # (user id, why): outside the mode (no office, no side)


def is_valid_plan(plan: Plan, pool: Sequence[Participant], avoid: Collection[tuple[str, str]] = ()) -> bool:
    """Whether ``plan`` is a well-formed plan for ``pool`` that honours ``avoid``.

    Every pool member exactly once (in a group or left out) and nobody else; groups of two or three
    with the proposer a member; one trio exactly when the number of placed people is odd; no avoided
    pair (either order) in a group. O(n + len(avoid)).
    """
    expected = [p.user_id for p in pool]
    seen = [m for g in plan.groups for m in g.members] + list(plan.left_out)
    if len(seen) != len(expected) or set(seen) != set(expected) or len(set(seen)) != len(seen):
        return False
    trios = 0
    group_of: dict[str, int] = {}
    for number, g in enumerate(plan.groups):
        if len(g.members) not in (2, 3) or g.proposer not in g.members:
            return False
        trios += len(g.members) == 3
        for m in g.members:
            group_of[m] = number
    placed = len(seen) - len(plan.left_out)
    if trios != placed % 2:
        return False
    for a, b in avoid:
        ga = group_of.get(a)
        if a != b and ga is not None and ga == group_of.get(b):
            return False
    return True
