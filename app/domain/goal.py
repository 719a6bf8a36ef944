"""What an asker wants out of a conversation: one rule for a goal, whichever way it comes in."""

from __future__ import annotations

from app.domain.errors import InvalidInput
from app.domain.model import MAX_GOAL_LENGTH


def validate_goal(text: str) -> str:
    """``text`` with its whitespace collapsed, when that is 1 … MAX_GOAL_LENGTH characters long.

    Characters are code points, as Python's ``len`` and the goal column's ``VARCHAR(300)`` count them.
    Raises :class:`InvalidInput` otherwise, with one message for each way it can be wrong.
    """
    goal = " ".join(text.split())
    if not goal:
        raise InvalidInput("Tell me what you'd like to get out of the conversation.")
    if len(goal) > MAX_GOAL_LENGTH:
        raise InvalidInput(
            f"A goal can be at most {MAX_GOAL_LENGTH} characters; yours has {len(goal)} characters."
        )
    return goal
