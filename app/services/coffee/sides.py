"""The two sides of an "across two groups" pool, as its ``sides=`` setting names them.

* ``sides=mentors``: people on the mentor register, and the others;
* ``sides=team:Eng|Sales``: two teams;
* ``sides=office:Berlin|London``: two offices (the offices of the hybrid-mentoring issue);
* ``sides=level:1-2|3-5``: two level bands (each a level or a range, 1-5, not overlapping).

Names are matched without regard to case; someone whose field matches neither side is not placed
(the preview lists them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.domain.pairing import Participant

FIELDS = ("team", "office", "level")
_BAND = re.compile(r"^([1-5])(?:-([1-5]))?$")
SIDES_HINT = (
    "`sides=team:Eng|Sales` (two teams), `sides=office:Berlin|London` (two offices), "
    "`sides=level:1-2|3-5` (two level bands) or `sides=mentors` (people on the mentor register and the"
    " others)"
)


@dataclass(frozen=True, slots=True)
class SideRule:
    """Which profile field splits the pool, and the first and second side's value (casefolded; a level
    band is ``"1-2"``). ``field`` "mentors" has no values."""

    field: str
    first: str = ""
    second: str = ""

    def side(self, person: Participant, office: str | None) -> bool | None:
        """True for the first side, False for the second, None for neither (not for "mentors")."""
        if self.field == "level":
            first, second = person.level in _levels(self.first), person.level in _levels(self.second)
        else:
            value = ((person.team if self.field == "team" else office) or "").casefold()
            first, second = value == self.first, value == self.second
        return True if first else False if second else None


def read_sides(value: object) -> SideRule | None:
    """The rule a ``sides=`` setting names, or None if it names none."""
    if value == "mentors":
        return SideRule("mentors")
    if not isinstance(value, str):
        return None
    field, colon, rest = value.partition(":")
    a, bar, b = rest.partition("|")
    a, b = a.strip().casefold(), b.strip().casefold()
    if field not in FIELDS or not colon or not bar or not a or not b or a == b:
        return None
    if field == "level":
        first, second = _levels(a), _levels(b)
        if not first or not second or first & second:
            return None
    return SideRule(field, a, b)


def _levels(band: str) -> set[int]:
    """``"3"`` -> {3}; ``"1-2"`` -> {1, 2}; anything else (or a backward range) the empty set."""
    match = _BAND.match(band)
    if match is None:
        return set()
    low, high = int(match.group(1)), int(match.group(2) or match.group(1))
    return set(range(low, high + 1))
