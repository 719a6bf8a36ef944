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

from app.domain.cohort_hours import Span, offset_week, overlap_hours
from app.domain.interests import normalise_tag

Bools = npt.NDArray[np.bool_]
Ints = npt.NDArray[np.int64]

LEVEL_MIN, LEVEL_MAX = 1, 5
# Preference points of one pair (all whole numbers, so totals compare exactly).
POINTS_PER_SHARED_INTEREST = 10
SHARED_INTERESTS_COUNTED = 3
# Hours both are at work in a week: 2 points per hour a (five-day) working day, up to a full 40 h week.
POINTS_PER_DAILY_HOUR = 2
WEEK_HOURS_COUNTED = 40
POINTS_MIXED_LOCATIONS = 5
MAX_PAIR_POINTS = (
    POINTS_PER_SHARED_INTEREST * SHARED_INTERESTS_COUNTED
    + POINTS_PER_DAILY_HOUR * WEEK_HOURS_COUNTED // 5
    + POINTS_MIXED_LOCATIONS
)
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
    utc_offset_minutes: int | None = None  # only read when ``week`` is None: Mon-Fri 09-17 at this offset
    avoid: frozenset[str] = frozenset()  # user ids this person must not be paired with
    # Their working week on the UTC clock (app.domain.cohort_hours.utc_week); None with no offset either:
    # unknown, no overlap counted.
    week: tuple[Span, ...] | None = None


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


def _week(p: Applicant) -> tuple[Span, ...] | None:
    if p.week is not None:
        return p.week
    return None if p.utc_offset_minutes is None else offset_week(p.utc_offset_minutes)


def _hours_overlap(mentees: Sequence[Applicant], mentors: Sequence[Applicant]) -> Ints:
    """Whole hours a week both people's working hours share (0 when either's are unknown)."""
    return overlap_hours([_week(p) for p in mentees], [_week(p) for p in mentors])


def hour_points(hours: Ints) -> Ints:
    return (np.minimum(hours, WEEK_HOURS_COUNTED) * POINTS_PER_DAILY_HOUR) // 5


def _tag(text: str) -> str | None:
    return normalise_tag(text) or None


def shared_interests(a: Applicant, b: Applicant) -> tuple[str, ...]:
    """The normalised tags both share ("Rock  Climbing" and "rock climbing" are one), sorted."""
    left = {_tag(t) for t in a.interests} - {None}
    right = {_tag(t) for t in b.interests}
    return tuple(sorted(t for t in left if t is not None and t in right))


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
            key = _tag(t)
            if key:
                tags.setdefault(key, len(tags))

    def bag(people: Sequence[Applicant]) -> Ints:
        out = np.zeros((len(people), max(len(tags), 1)), dtype=np.int64)
        for i, p in enumerate(people):
            for t in p.interests:
                key = _tag(t)
                if key:
                    out[i, tags[key]] = 1
        return out

    shared = np.minimum(bag(mentees) @ bag(mentors).T, SHARED_INTERESTS_COUNTED)
    hours = hour_points(_hours_overlap(mentees, mentors)) if n and m else np.zeros((n, m))
    places: dict[str, int] = {}
    la = _codes([p.location for p in mentees], places)[:, None]
    lb = _codes([p.location for p in mentors], places)[None, :]
    mixed = (la != lb) & (la != _UNKNOWN) & (lb != _UNKNOWN)
    points: Ints = (
        shared * POINTS_PER_SHARED_INTEREST
        + hours.astype(np.int64)
        + mixed.astype(np.int64) * POINTS_MIXED_LOCATIONS
    )
    return points.reshape(n, m)


def partner_levels(rules: CohortRules, role: Role, level: int) -> tuple[int, ...]:
    """The levels (1-5) a partner of someone at ``level`` in ``role`` may have under the program's kind."""
    fits = []
    for other in range(LEVEL_MIN, LEVEL_MAX + 1):
        mentee, mentor = (level, other) if role is Role.MENTEE else (other, level)
        gap = mentee - mentor
        if rules.kind is ProgramKind.REVERSE:
            ok = gap >= rules.min_level_gap
        elif rules.kind is ProgramKind.CLASSIC:
            ok = -gap >= rules.min_level_gap
        else:
            ok = rules.min_level_gap <= 0 or abs(gap) >= rules.min_level_gap
        if ok:
            fits.append(other)
    return tuple(fits)


def fitting_roles(rules: CohortRules, level: int | None) -> tuple[Role, ...]:
    """The roles someone may apply in: the ones where the program's kind leaves them a partner level
    (reverse: mentors below their mentees; classic: above; peer: either way). Both when the level is
    not known yet (the form asks it)."""
    if level is None:
        return (Role.MENTOR, Role.MENTEE)
    return tuple(r for r in (Role.MENTOR, Role.MENTEE) if partner_levels(rules, r, level))


def role_refusal(rules: CohortRules, role: Role, level: int | None) -> str | None:
    """Why ``role`` at ``level`` can never be matched here, in words for the form; None when it can."""
    if level is None or partner_levels(rules, role, level):
        return None
    gap = rules.min_level_gap
    if rules.kind is ProgramKind.PEER:
        way = f"{gap}+ levels apart from their partner"
    else:
        below = (rules.kind is ProgramKind.REVERSE) == (role is Role.MENTOR)
        partner = "mentee" if role is Role.MENTOR else "mentor"
        way = f"{gap}+ levels {'below' if below else 'above'} their {partner}"
    others = [r for r in fitting_roles(rules, level) if r is not role]
    instead = f" Apply as a {others[0].value}, or check your level." if others else " Check your level."
    return (
        f"In this {rules.kind.value} program a {role.value} is {way}: at level {level} nobody on the "
        f"1-5 scale fits.{instead}"
    )
