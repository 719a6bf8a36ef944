"""The end-of-wave survey's questions and the figures drawn from its answers, each beside its benchmark.
Pure. Shares over fewer than ``SMALLEST`` answers are not shown: they would point at people."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.domain.program_outcomes import SMALLEST

GOAL = ("yes", "partly", "no")
EXPERIENCE = ("best", "good", "neutral", "poor")  # "one of the best things I've done" first
EFFECTIVE = ("extremely", "effective", "somewhat", "not")
YES_NO = ("yes", "no")

GOAL_WORDS = {"yes": "Yes", "partly": "Partly", "no": "No"}
EXPERIENCE_WORDS = {
    "best": "One of the best things I've done",
    "good": "Good",
    "neutral": "Neutral",
    "poor": "Poor",
}
EFFECTIVE_WORDS = {
    "extremely": "Extremely effective",
    "effective": "Effective",
    "somewhat": "Somewhat effective",
    "not": "Not effective",
}

PROGRAM_SATISFACTION = 0.80  # good programs: over 80% say good or one of the best
HARTFORD_BUSINESS = 0.80  # The Hartford: effective for business
HARTFORD_PERSONAL = 0.97  # The Hartford: effective personally


@dataclass(frozen=True, slots=True)
class SurveyAnswer:
    goal: str
    experience: str
    business: str
    personal: str
    brand: bool
    alumni: bool

    def __post_init__(self) -> None:
        for value, allowed in (
            (self.goal, GOAL),
            (self.experience, EXPERIENCE),
            (self.business, EFFECTIVE),
            (self.personal, EFFECTIVE),
        ):
            if value not in allowed:
                raise ValueError(f"{value!r} is not one of {allowed}")


@dataclass(frozen=True, slots=True)
class Share:
    part: int
    whole: int

    @property
    def shown(self) -> float | None:
        """The share, or None under ``SMALLEST`` answers."""
        return self.part / self.whole if self.whole >= SMALLEST else None


@dataclass(frozen=True, slots=True)
class SurveyFigures:
    answers: int
    asked: int
    goal_achieved: Share  # "yes"
    goal_partly: Share
    satisfied: Share  # "good" or "one of the best"
    business: Share  # "extremely effective" or "effective"
    personal: Share
    brand: Share  # says it reflects well on the organisation
    alumni: int  # said yes to the alumni group


def _effective(value: str) -> bool:
    return value in ("extremely", "effective")


def survey_figures(answers: Sequence[SurveyAnswer], *, asked: int) -> SurveyFigures:
    n = len(answers)

    def share(test) -> Share:  # type: ignore[no-untyped-def]
        return Share(sum(1 for a in answers if test(a)), n)

    return SurveyFigures(
        answers=n,
        asked=asked,
        goal_achieved=share(lambda a: a.goal == "yes"),
        goal_partly=share(lambda a: a.goal == "partly"),
        satisfied=share(lambda a: a.experience in ("best", "good")),
        business=share(lambda a: _effective(a.business)),
        personal=share(lambda a: _effective(a.personal)),
        brand=share(lambda a: a.brand),
        alumni=sum(1 for a in answers if a.alumni),
    )
