"""Who met whom in recent rounds, built once from the stored rounds."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


def pair_key(a: int, b: int) -> int:
    """Two non-negative ints below 2**32 as one int, the smaller first (cheaper than a tuple)."""
    return (a << 32) | b if a < b else (b << 32) | a


@dataclass(frozen=True, slots=True)
class PairHistory:
    """Who met whom in recent rounds: for each pair, the last round they shared a group.

    Built once from the stored rounds (:meth:`from_rounds`), never person by person. Each user id
    gets a small int; each pair that met is one dict entry keyed by both ints packed into one int,
    valued with the number of the last round they met (1 = the oldest round given). Cost: O(pairs)
    time and about 80 bytes per pair (100,000 people x 12 rounds of pairs: 600,000 entries, 45 MB,
    0.5-1 s); :meth:`rounds_since` is one dict lookup. ``index`` and ``last_met`` are read-only.
    """

    rounds: int = 0
    index: dict[str, int] = field(default_factory=dict, repr=False)
    last_met: dict[int, int] = field(default_factory=dict, repr=False)

    @classmethod
    def from_rounds(cls, rounds: Sequence[Iterable[Iterable[str]]]) -> PairHistory:
        """``rounds`` oldest first (most recent last); each round is its groups of user ids."""
        index: dict[str, int] = {}
        last_met: dict[int, int] = {}
        for number, groups in enumerate(rounds, start=1):
            _record(index, last_met, number, groups)
        return cls(len(rounds), index, last_met)

    def with_round(self, groups: Iterable[Iterable[str]]) -> PairHistory:
        """A new history with one more round (the most recent). Copies: O(pairs held)."""
        index = dict(self.index)
        last_met = dict(self.last_met)
        _record(index, last_met, self.rounds + 1, groups)
        return PairHistory(self.rounds + 1, index, last_met)

    def rounds_since(self, a: str, b: str) -> int | None:
        """1 if ``a`` and ``b`` met in the most recent round, 2 the round before …; None if never."""
        ia = self.index.get(a)
        ib = self.index.get(b)
        if ia is None or ib is None or ia == ib:
            return None
        met = self.last_met.get(pair_key(ia, ib))
        return None if met is None else self.rounds - met + 1

    def __len__(self) -> int:
        return len(self.last_met)


def _record(
    index: dict[str, int], last_met: dict[int, int], number: int, groups: Iterable[Iterable[str]]
) -> None:
    setdefault = index.setdefault
    for group in groups:
        members = group if isinstance(group, tuple | list) else tuple(group)
        if len(members) == 2:  # the fast path for nearly every group
            a = setdefault(members[0], len(index))
            b = setdefault(members[1], len(index))
            if a != b:
                last_met[(a << 32) | b if a < b else (b << 32) | a] = number
            continue
        ids = [setdefault(user_id, len(index)) for user_id in members]
        for x, a in enumerate(ids):
            for b in ids[x + 1 :]:
                if a != b:
                    last_met[pair_key(a, b)] = number
