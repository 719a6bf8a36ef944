"""Programs: mentors x mentees under hard rules, the exact optimum, and the reasons.

``match_cohort`` finds, among the pairs the rules allow (app.domain.cohorts_rules), the assignment
that matches the most mentees and, among those, has the best total preference points. It is exact:
scipy's ``linear_sum_assignment`` (a compiled shortest-augmenting-path Hungarian method, O(n^3) worst
case, 2,000 x 2,000 in a fraction of a second) on a dense matrix where every allowed pair weighs
``BONUS + points`` and every forbidden pair 0. BONUS exceeds the points of any whole assignment, so
one more pair always outweighs any preference; a forbidden cell adds nothing, so choosing one is
the same as leaving both unmatched, and such cells are dropped from the answer: a hard rule is never
broken. A mentor who may take N mentees is N identical columns.

Locked pairs are kept (each must itself obey the rules) and take one of their mentor's places;
split pairs are forbidden; excluded people are left out. Deterministic: the seed only shuffles the
order rows and columns are handed to the solver, which picks among equally good optima.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment

from app.domain.cohorts_rules import (
    MAX_PAIR_POINTS,
    RULE_ORDER,
    Adjustments,
    Applicant,
    CohortMatrices,
    CohortRules,
    ProgramKind,
    Role,
    Rule,
    cohort_matrices,
    hours_overlap,
    shared_interests,
)
from app.domain.errors import InvalidInput

NO_ADJUSTMENTS = Adjustments()

__all__ = [
    "Adjustments",
    "Applicant",
    "CohortPair",
    "CohortResult",
    "CohortRules",
    "ProgramKind",
    "Role",
    "Rule",
    "Unmatched",
    "match_cohort",
    "rule_words",
]


@dataclass(frozen=True, slots=True)
class CohortPair:
    mentor: str
    mentee: str
    points: int
    shared_interests: tuple[str, ...]
    level_gap: int | None  # mentee's level minus the mentor's
    hours_overlap: int
    across_teams: bool
    across_locations: bool
    locked: bool = False


@dataclass(frozen=True, slots=True)
class Unmatched:
    user_id: str
    role: Role
    rule: Rule


@dataclass(frozen=True, slots=True)
class CohortResult:
    pairs: tuple[CohortPair, ...]
    unmatched: tuple[Unmatched, ...]

    @property
    def total_points(self) -> int:
        return sum(p.points for p in self.pairs)

    @property
    def share_across_teams(self) -> float:
        return sum(p.across_teams for p in self.pairs) / len(self.pairs) if self.pairs else 0.0

    @property
    def share_across_locations(self) -> float:
        return sum(p.across_locations for p in self.pairs) / len(self.pairs) if self.pairs else 0.0


def rule_words(rule: Rule, role: Role, rules: CohortRules) -> str:
    """Why someone was left out, in words an admin reads beside their name."""
    gap = rules.min_level_gap
    other = "mentor" if role is Role.MENTEE else "mentee"
    if rule is Rule.LEVEL_GAP:
        if rules.kind is ProgramKind.PEER:
            return f"no {other} is {gap}+ levels apart"
        below = (rules.kind is ProgramKind.REVERSE) == (role is Role.MENTEE)
        return f"no {other} is {gap}+ levels {'below' if below else 'above'}"
    return {
        Rule.SELF: "only themselves on the other side",
        Rule.LEVEL_UNKNOWN: "their level (or every partner's) is unknown",
        Rule.TEAM_UNKNOWN: "their team (or every partner's) is unknown",
        Rule.SAME_TEAM: f"every fitting {other} is in their team",
        Rule.AVOID: "everyone fitting is on an avoid list",
        Rule.EARLIER_WAVE: f"every fitting {other} was their partner in an earlier wave",
        Rule.SPLIT: "the admin split them from every fitting partner",
        Rule.EXCLUDED: "excluded by an admin",
        Rule.TAKEN: f"every fitting {other} was matched with someone else",
        Rule.NOBODY: f"no {other}s applied",
    }[rule]


def match_cohort(
    applicants: Iterable[Applicant],
    rules: CohortRules,
    *,
    adjustments: Adjustments = NO_ADJUSTMENTS,
    seed: int = 0,
) -> CohortResult:
    """The exact optimum: most mentees matched, then the most preference points (see the module)."""
    people = [p for p in applicants if p.user_id not in adjustments.excluded]
    out = [
        Unmatched(p.user_id, p.role, Rule.EXCLUDED)
        for p in sorted(applicants, key=lambda p: p.user_id)
        if p.user_id in adjustments.excluded
    ]
    mentees = sorted((p for p in people if p.role is Role.MENTEE), key=lambda p: p.user_id)
    mentors = sorted((p for p in people if p.role is Role.MENTOR), key=lambda p: p.user_id)
    cm = cohort_matrices(mentees, mentors, rules, adjustments)
    row = {p.user_id: i for i, p in enumerate(mentees)}
    col = {p.user_id: j for j, p in enumerate(mentors)}
    places = [max(rules.capacity, 1)] * len(mentors)
    chosen: list[tuple[int, int, bool]] = []
    for mentor, mentee in sorted(adjustments.locked):
        i, j = row.get(mentee), col.get(mentor)
        if i is None or j is None:
            continue  # one of them left the cohort: the lock lapses
        if cm.rule[i, j] >= 0:
            raise InvalidInput(f"<@{mentor}> and <@{mentee}> cannot be locked: {_pair_words(cm, i, j)}.")
        if places[j] == 0 or any(i == k for k, _, _ in chosen):
            raise InvalidInput(f"<@{mentor}> has no place left for <@{mentee}> beside the locked pairs.")
        places[j] -= 1
        chosen.append((i, j, True))
    locked_rows = {i for i, _, _ in chosen}
    free_rows = [i for i in range(len(mentees)) if i not in locked_rows]
    slots = [j for j in range(len(mentors)) for _ in range(places[j])]
    chosen += [(i, j, False) for i, j in _solve(cm, free_rows, slots, seed)]
    taken = Counter(j for _, j, _ in chosen)
    matched_rows = {i for i, _, _ in chosen}
    pairs = tuple(sorted((_pair(cm, i, j, locked) for i, j, locked in chosen), key=lambda p: p.mentee))
    for i, p in enumerate(mentees):
        if i not in matched_rows:
            out.append(Unmatched(p.user_id, p.role, _why(cm.rule[i, :], len(mentors))))
    for j, q in enumerate(mentors):
        if taken[j] == 0:
            out.append(Unmatched(q.user_id, q.role, _why(cm.rule[:, j], len(mentees))))
    return CohortResult(pairs, tuple(out))


def _solve(cm: CohortMatrices, rows: list[int], slots: list[int], seed: int) -> list[tuple[int, int]]:
    """(mentee row, mentor column) of the optimum over the given rows and mentor places."""
    if not rows or not slots:
        return []
    rng = random.Random(seed)
    rows = rows[:]
    slots = slots[:]
    rng.shuffle(rows)
    rng.shuffle(slots)
    r = np.asarray(rows, dtype=np.int64)
    c = np.asarray(slots, dtype=np.int64)
    rule = cm.rule[np.ix_(r, c)]
    points = cm.points[np.ix_(r, c)]
    bonus = MAX_PAIR_POINTS * min(len(rows), len(slots)) + 1
    weight = np.where(rule < 0, points + bonus, 0).astype(np.float64)
    a, b = linear_sum_assignment(weight, maximize=True)
    keep = rule[a, b] < 0
    return [(int(r[x]), int(c[y])) for x, y in zip(a[keep], b[keep], strict=True)]


def _why(rules_row: np.ndarray, others: int) -> Rule:
    """TAKEN when some pair was allowed; else the rule that excluded the most partners."""
    if others == 0:
        return Rule.NOBODY
    if (rules_row < 0).any():
        return Rule.TAKEN
    counts = np.bincount(rules_row, minlength=len(RULE_ORDER))
    return RULE_ORDER[int(np.argmax(counts))]


def _pair_words(cm: CohortMatrices, i: int, j: int) -> str:
    rule = RULE_ORDER[int(cm.rule[i, j])]
    return {
        Rule.SELF: "that is one person",
        Rule.SPLIT: "they were split",
        Rule.AVOID: "one of them asked not to be paired with the other",
        Rule.EARLIER_WAVE: "they were paired in an earlier wave",
        Rule.LEVEL_UNKNOWN: "a level is unknown",
        Rule.LEVEL_GAP: "their levels are too close or the wrong way round",
        Rule.TEAM_UNKNOWN: "a team is unknown",
        Rule.SAME_TEAM: "they are in the same team",
    }.get(rule, rule.value)


def _pair(cm: CohortMatrices, i: int, j: int, locked: bool) -> CohortPair:
    a, b = cm.mentees[i], cm.mentors[j]
    gap = None if a.level is None or b.level is None else a.level - b.level
    teams = bool(a.team and b.team and a.team.strip().casefold() != b.team.strip().casefold())
    places = bool(
        a.location and b.location and a.location.strip().casefold() != b.location.strip().casefold()
    )
    return CohortPair(
        mentor=b.user_id,
        mentee=a.user_id,
        points=int(cm.points[i, j]),
        shared_interests=shared_interests(a, b),
        level_gap=gap,
        hours_overlap=hours_overlap(a, b),
        across_teams=teams,
        across_locations=places,
        locked=locked,
    )
