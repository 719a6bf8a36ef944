"""A program's people and rules, and which mentor x mentee pairs the rules allow, as arrays.

Pure: the standard library and numpy. Everything here is computed for the whole cohort at once
(one boolean matrix of allowed pairs, one integer matrix of preference points), so 2,000 x 2,000
costs a few tens of milliseconds; the matching itself is in app.domain.cohorts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import numpy.typing as npt

Bools = npt.NDArray[np.bool_]
Ints = npt.NDArray[np.int64]

LEVEL_MIN, LEVEL_MAX = 1, 5
# Preference points of one pair (all whole numbers, so totals compare exactly).
POINTS_PER_SHARED_INTEREST = 10
SHARED_INTERESTS_COUNTED = 3
POINTS_PER_HOUR_OVERLAP = 2
HOURS_COUNTED = 8
POINTS_MIXED_LOCATIONS = 5
MAX_PAIR_POINTS = (
    POINTS_PER_SHARED_INTEREST * SHARED_INTERESTS_COUNTED
    + POINTS_PER_HOUR_OVERLAP * HOURS_COUNTED
    + POINTS_MIXED_LOCATIONS
)
# Working day assumed for everyone, local time, in minutes after midnight.
DAY_START, DAY_END = 9 * 60, 17 * 60
_DAY = 24 * 60
_UNKNOWN = -1


class ProgramKind(StrEnum):
    REVERSE = "reverse"  # mentors at least the gap BELOW their mentees
    CLASSIC = "classic"  # mentors at least the gap above
    PEER = "peer"  # either way, at least the gap apart


class Role(StrEnum):
    MENTOR = "mentor"
    MENTEE = "mentee"


class Rule(StrEnum):
    """Why a pair is not allowed, or why a person was left unmatched."""

    SELF = "self"
    LEVEL_UNKNOWN = "level_unknown"
    LEVEL_GAP = "level_gap"
    TEAM_UNKNOWN = "team_unknown"
    SAME_TEAM = "same_team"
    AVOID = "avoid"
    EARLIER_WAVE = "earlier_wave"
    SPLIT = "split"
    EXCLUDED = "excluded"  # the admin took the person out
    TAKEN = "taken"  # allowed partners exist, but the optimum gave them to others
    NOBODY = "nobody"  # the other side is empty


@dataclass(frozen=True, slots=True)
class Applicant:
    user_id: str
    role: Role
    team: str | None = None
    level: int | None = None
    interests: frozenset[str] = frozenset()
    location: str | None = None
    utc_offset_minutes: int | None = None
    avoid: frozenset[str] = frozenset()  # user ids this person must not be paired with


@dataclass(frozen=True, slots=True)
class CohortRules:
    kind: ProgramKind
    min_level_gap: int = 2
    other_team: bool = True
    capacity: int = 1  # mentees one mentor may take


@dataclass(frozen=True, slots=True)
class Adjustments:
    """The admin's hand on a preview, and the history the rules read."""

    locked: frozenset[tuple[str, str]] = frozenset()  # (mentor, mentee) kept whatever the optimum says
    split: frozenset[tuple[str, str]] = frozenset()  # (mentor, mentee) never paired
    excluded: frozenset[str] = frozenset()
    earlier: frozenset[frozenset[str]] = field(default_factory=frozenset)  # pairs of earlier waves


def _norm(text: str | None) -> str | None:
    text = (text or "").strip().casefold()
    return text or None


def _codes(values: Sequence[str | None], table: dict[str, int]) -> Ints:
    out = np.empty(len(values), dtype=np.int64)
    for i, value in enumerate(values):
        key = _norm(value)
        out[i] = _UNKNOWN if key is None else table.setdefault(key, len(table))
    return out


@dataclass(frozen=True)
class CohortMatrices:
    """Rows are mentees, columns mentors. ``rule`` holds the first rule each pair breaks (an index into
    RULE_ORDER, -1 when allowed); ``points`` the preference points of every pair."""

    mentees: tuple[Applicant, ...]
    mentors: tuple[Applicant, ...]
    rule: Ints
    points: Ints

    @property
    def allowed(self) -> Bools:
        return self.rule < 0


RULE_ORDER = (
    Rule.SELF,
    Rule.SPLIT,
    Rule.AVOID,
    Rule.EARLIER_WAVE,
    Rule.LEVEL_UNKNOWN,
    Rule.LEVEL_GAP,
    Rule.TEAM_UNKNOWN,
    Rule.SAME_TEAM,
)


def _level_rules(mentees: Sequence[Applicant], mentors: Sequence[Applicant], rules: CohortRules) -> Ints:
    """LEVEL_UNKNOWN / LEVEL_GAP indices per pair, -1 where the levels fit."""
    a = np.array([_UNKNOWN if p.level is None else p.level for p in mentees], dtype=np.int64)[:, None]
    b = np.array([_UNKNOWN if p.level is None else p.level for p in mentors], dtype=np.int64)[None, :]
    gap = a - b  # mentee minus mentor
    if rules.kind is ProgramKind.REVERSE:
        fits = gap >= rules.min_level_gap
    elif rules.kind is ProgramKind.CLASSIC:
        fits = -gap >= rules.min_level_gap
    else:
        fits = np.abs(gap) >= rules.min_level_gap
    unknown = (a == _UNKNOWN) | (b == _UNKNOWN)
    out = np.full(gap.shape, -1, dtype=np.int64)
    if rules.kind is ProgramKind.PEER and rules.min_level_gap <= 0:
        return out  # levels play no part
    out[~fits] = RULE_ORDER.index(Rule.LEVEL_GAP)
    out[unknown] = RULE_ORDER.index(Rule.LEVEL_UNKNOWN)
    return out


def _hours_overlap(mentees: Sequence[Applicant], mentors: Sequence[Applicant]) -> Ints:
    """Whole hours both people's 09:00-17:00 share (0 when a zone is unknown)."""

    def starts(people: Sequence[Applicant]) -> tuple[Ints, Bools]:
        offsets = [p.utc_offset_minutes for p in people]
        known = np.array([o is not None for o in offsets], dtype=np.bool_)
        start = np.array([(DAY_START - (o or 0)) % _DAY for o in offsets], dtype=np.int64)
        return start, known

    sa, ka = starts(mentees)
    sb, kb = starts(mentors)
    length = DAY_END - DAY_START
    s1 = sa[:, None]
    total = np.zeros((len(mentees), len(mentors)), dtype=np.int64)
    for shift in (-_DAY, 0, _DAY):
        s2 = sb[None, :] + shift
        total += np.clip(np.minimum(s1 + length, s2 + length) - np.maximum(s1, s2), 0, None)
    total[~(ka[:, None] & kb[None, :])] = 0
    return total // 60


def shared_interests(a: Applicant, b: Applicant) -> tuple[str, ...]:
    left = {_norm(t): t for t in a.interests if _norm(t)}
    right = {_norm(t) for t in b.interests}
    return tuple(sorted(left[key] for key in left if key in right))


def hours_overlap(a: Applicant, b: Applicant) -> int:
    return int(_hours_overlap([a], [b])[0, 0])


def cohort_matrices(
    mentees: Sequence[Applicant], mentors: Sequence[Applicant], rules: CohortRules, adjustments: Adjustments
) -> CohortMatrices:
    """Which pairs the hard rules allow and how much each is preferred. O(mentees x mentors) in numpy,
    plus O(avoid + split + earlier entries) for the pairwise exceptions."""
    n, m = len(mentees), len(mentors)
    rule = _level_rules(mentees, mentors, rules) if n and m else np.full((n, m), -1, dtype=np.int64)
    if rules.other_team and n and m:
        teams: dict[str, int] = {}
        ta = _codes([p.team for p in mentees], teams)[:, None]
        tb = _codes([p.team for p in mentors], teams)[None, :]
        free = rule < 0
        rule[free & (ta == tb)] = RULE_ORDER.index(Rule.SAME_TEAM)
        rule[free & ((ta == _UNKNOWN) | (tb == _UNKNOWN))] = RULE_ORDER.index(Rule.TEAM_UNKNOWN)
    row = {p.user_id: i for i, p in enumerate(mentees)}
    col = {p.user_id: j for j, p in enumerate(mentors)}
    pairwise: list[tuple[str, str, Rule]] = []
    for p in mentees:
        pairwise += [(p.user_id, other, Rule.AVOID) for other in p.avoid]
    for q in mentors:
        pairwise += [(other, q.user_id, Rule.AVOID) for other in q.avoid]
    for pair in adjustments.earlier:
        if len(pair) == 2:
            x, y = sorted(pair)
            pairwise += [(x, y, Rule.EARLIER_WAVE), (y, x, Rule.EARLIER_WAVE)]
    pairwise += [(mentee, mentor, Rule.SPLIT) for mentor, mentee in adjustments.split]
    pairwise += [(uid, uid, Rule.SELF) for uid in row if uid in col]
    for mentee, mentor, why in pairwise:
        i, j = row.get(mentee), col.get(mentor)
        if i is not None and j is not None:
            index = RULE_ORDER.index(why)
            if rule[i, j] < 0 or index < rule[i, j]:
                rule[i, j] = index
    return CohortMatrices(tuple(mentees), tuple(mentors), rule, _points(mentees, mentors))


def _points(mentees: Sequence[Applicant], mentors: Sequence[Applicant]) -> Ints:
    n, m = len(mentees), len(mentors)
    tags: dict[str, int] = {}
    for p in (*mentees, *mentors):
        for t in p.interests:
            key = _norm(t)
            if key:
                tags.setdefault(key, len(tags))

    def bag(people: Sequence[Applicant]) -> Ints:
        out = np.zeros((len(people), max(len(tags), 1)), dtype=np.int64)
        for i, p in enumerate(people):
            for t in p.interests:
                key = _norm(t)
                if key:
                    out[i, tags[key]] = 1
        return out

    shared = np.minimum(bag(mentees) @ bag(mentors).T, SHARED_INTERESTS_COUNTED)
    hours = np.minimum(_hours_overlap(mentees, mentors), HOURS_COUNTED) if n and m else np.zeros((n, m))
    places: dict[str, int] = {}
    la = _codes([p.location for p in mentees], places)[:, None]
    lb = _codes([p.location for p in mentors], places)[None, :]
    mixed = (la != lb) & (la != _UNKNOWN) & (lb != _UNKNOWN)
    points: Ints = (
        shared * POINTS_PER_SHARED_INTEREST
        + hours.astype(np.int64) * POINTS_PER_HOUR_OVERLAP
        + mixed.astype(np.int64) * POINTS_MIXED_LOCATIONS
    )
    return points.reshape(n, m)
