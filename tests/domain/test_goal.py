"""One rule for a goal: 1 … 300 characters once whitespace is collapsed, and one message each way."""

from __future__ import annotations

import pytest

from app.domain.errors import InvalidInput
from app.domain.goal import validate_goal
from app.domain.model import MAX_GOAL_LENGTH

TOO_LONG = "A goal can be at most 300 characters; yours has {} characters."
EMPTY = "Tell me what you'd like to get out of the conversation."


def test_the_limit_is_the_goal_columns() -> None:
    assert MAX_GOAL_LENGTH == 300  # app/db/models.py: Ask.goal is String(300)


@pytest.mark.parametrize("length", [1, 299, 300])
def test_a_goal_up_to_the_limit_is_kept(length: int) -> None:
    assert validate_goal("g" * length) == "g" * length


@pytest.mark.parametrize("length", [301, 302, 5000])
def test_a_goal_over_the_limit_gets_the_one_message(length: int) -> None:
    with pytest.raises(InvalidInput) as caught:
        validate_goal("g" * length)
    assert caught.value.message == TOO_LONG.format(length)


@pytest.mark.parametrize("text", ["", " ", "   ", "\n\t", "\u00a0\u2003"])
def test_an_empty_or_blank_goal_is_refused(text: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        validate_goal(text)
    assert caught.value.message == EMPTY


def test_whitespace_is_collapsed_before_counting() -> None:
    goal = "  ab \n " + "c" * 297 + "\t "  # 300 once collapsed: "ab " + 297 characters
    assert validate_goal(goal) == "ab " + "c" * 297
    with pytest.raises(InvalidInput, match="yours has 301 characters"):
        validate_goal("ab  c " + "d" * 296)


def test_characters_are_code_points() -> None:
    # VARCHAR(300) on PostgreSQL counts characters, not bytes: 300 fire engines (1,200 UTF-8 bytes) fit.
    assert validate_goal("🚒" * 300) == "🚒" * 300
    with pytest.raises(InvalidInput, match="yours has 301 characters"):
        validate_goal("é" * 301)
