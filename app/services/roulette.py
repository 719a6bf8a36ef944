"""Kept so that ``from app.services.roulette import …`` still works: the code lives in ``coffee/``."""

from app.services.coffee import (
    ANSWERS,
    DEFAULT_ANCHOR,
    UNANSWERED_BEFORE_PAUSE,
    CoffeeStatus,
    FollowupAnswer,
    RouletteService,
    RouletteSettings,
    RoundSummary,
    ScheduleView,
)

__all__ = [
    "ANSWERS",
    "DEFAULT_ANCHOR",
    "UNANSWERED_BEFORE_PAUSE",
    "CoffeeStatus",
    "FollowupAnswer",
    "RouletteService",
    "RouletteSettings",
    "RoundSummary",
    "ScheduleView",
]
