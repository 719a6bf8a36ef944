"""A Home never passes Slack's 100 blocks, however many sections fill it; the footer stays."""

from __future__ import annotations

from app.slack.blocks.home import MAX_HOME_BLOCKS, _within_slacks_limit


def _sections(n: int) -> list[dict]:
    return [{"type": "section", "text": {"type": "mrkdwn", "text": f"line {i}"}} for i in range(n)]


def test_a_home_within_the_limit_is_unchanged() -> None:
    blocks = _sections(MAX_HOME_BLOCKS)
    assert _within_slacks_limit(blocks) == blocks


def test_a_crowded_home_keeps_its_start_says_where_the_rest_is_and_keeps_the_footer() -> None:
    blocks = _sections(150)
    kept = _within_slacks_limit(blocks)
    assert len(kept) == MAX_HOME_BLOCKS
    assert kept[: MAX_HOME_BLOCKS - 2] == blocks[: MAX_HOME_BLOCKS - 2]
    assert kept[-1] == blocks[-1]
    assert kept[-2]["type"] == "context" and "`/mentor list`" in kept[-2]["elements"][0]["text"]
