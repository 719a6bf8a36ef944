"""A program's outcome figures from counts, each beside the benchmark it is judged against. Pure.

Completion is the share of pairs that held at least the program's threshold of sessions: 5 of 7, or
the same share of the program's own number (rounded up). Figures over fewer than ``SMALLEST`` pairs
(or ratings) are not shown on their own: they would point at people."""

from __future__ import annotations

import math
from dataclasses import dataclass

SMALLEST = 5
HARTFORD_COMPLETION = 0.70
NORMAL_DROP_OUT = (0.10, 0.15)


def threshold(sessions: int) -> int:
    """Sessions a pair must hold to count as completed: 5 of 7, scaled to the program's number."""
    return max(1, math.ceil(sessions * 5 / 7))


@dataclass(frozen=True, slots=True)
class PairHistory:
    held: int  # sessions held
    ended: bool  # ended (without blame) before the wave's end
    rematch: bool  # this pair is a re-match made after an ending


@dataclass(frozen=True, slots=True)
class Outcomes:
    invited: int
    applied: int
    matched: int  # people in a pair
    first_session: int  # people whose pair held at least one session
    pairs: int
    completed: int
    ended: int
    rematched: int
    ratings: int
    rating_sum: int
    threshold: int

    @property
    def completion(self) -> float:
        return self.completed / self.pairs if self.pairs else 0.0

    @property
    def drop_out(self) -> float:
        return self.ended / self.pairs if self.pairs else 0.0

    @property
    def rematch_rate(self) -> float:
        return self.rematched / self.pairs if self.pairs else 0.0

    @property
    def satisfaction(self) -> float | None:
        """The average session rating, or None under ``SMALLEST`` ratings."""
        return self.rating_sum / self.ratings if self.ratings >= SMALLEST else None


def outcomes(
    *,
    invited: int,
    applied: int,
    matched: int,
    first_session: int,
    pairs: list[PairHistory],
    ratings: list[int],
    sessions: int,
) -> Outcomes:
    need = threshold(sessions)
    return Outcomes(
        invited=invited,
        applied=applied,
        matched=matched,
        first_session=first_session,
        pairs=len(pairs),
        completed=sum(1 for p in pairs if p.held >= need),
        ended=sum(1 for p in pairs if p.ended),
        rematched=sum(1 for p in pairs if p.rematch),
        ratings=len(ratings),
        rating_sum=sum(ratings),
        threshold=need,
    )
