"""The board of sessions up to date: by department for everyone in a program (departments under
``SMALLEST`` people merged into "other"), by pair only where both consented to be named. Pure."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from app.domain.program_outcomes import SMALLEST

OTHER = "other"


@dataclass(frozen=True, slots=True)
class PairProgress:
    mentor_id: str
    mentee_id: str
    mentor_team: str | None
    mentee_team: str | None
    held: int
    due: int  # sessions due by now
    named: bool  # both consented to be named on the board

    @property
    def up_to_date(self) -> bool:
        return self.held >= self.due


@dataclass(frozen=True, slots=True)
class DepartmentRow:
    department: str
    people: int
    up_to_date: int  # people whose pair is up to date

    @property
    def share(self) -> float:
        return self.up_to_date / self.people if self.people else 0.0


def by_department(pairs: Sequence[PairProgress]) -> list[DepartmentRow]:
    """Each person counted under their own department; best share first, "other" last."""
    people: dict[str, list[bool]] = defaultdict(list)
    for p in pairs:
        for team in (p.mentor_team, p.mentee_team):
            people[team or OTHER].append(p.up_to_date)
    merged: dict[str, list[bool]] = defaultdict(list)
    for team, flags in people.items():
        merged[team if len(flags) >= SMALLEST and team != OTHER else OTHER].extend(flags)
    rows = [DepartmentRow(t, len(f), sum(f)) for t, f in merged.items()]
    if any(r.department == OTHER and r.people < SMALLEST for r in rows):
        rows = [r for r in rows if r.department != OTHER]  # even "other" would point at someone
    return sorted(rows, key=lambda r: (r.department == OTHER, -r.share, r.department))


def ranked_pairs(pairs: Sequence[PairProgress], *, everyone: bool) -> list[PairProgress]:
    """The pairs to show (every pair for the admin, else only those who both agreed), most held first."""
    shown = [p for p in pairs if everyone or p.named]
    return sorted(shown, key=lambda p: (-(p.held - p.due), -p.held, p.mentor_id))
