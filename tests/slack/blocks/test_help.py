"""The help copy: every sub-command in its group, every example in it one that parses."""

from __future__ import annotations

import re

from app.slack.blocks.help import COFFEE_HELP_TEXT, HELP_TEXT, usage_hint
from app.slack.blocks.messages import help_message
from app.slack.command_text import parse
from app.slack.subcommands import CoffeeHelp, Unknown


def test_help_lists_every_sub_command_in_groups() -> None:
    for group in ("*Mentoring*", "*Mentors*", "*Coffee roulette*", "*Admins*"):
        assert group in HELP_TEXT
    for sub_command in (
        "ask", "list", "forget-me", "join", "profile", "available", "away", "leave", "coffee join",
        "coffee leave", "coffee pause", "coffee resume", "coffee avoid", "coffee unavoid", "coffee status",
        "coffee channel", "coffee schedule", "coffee preview", "coffee run", "stats", "export",
    ):  # fmt: skip
        assert re.search(rf"`(/mentor )?{sub_command}\b", HELP_TEXT), sub_command
    assert COFFEE_HELP_TEXT in HELP_TEXT


def _help_examples() -> list[str]:
    """Every ```/mentor …``` span in the help, with ``a|b|c`` spelled out as three examples."""
    examples = []
    for span in re.findall(r"`/mentor ([^`]+)`", HELP_TEXT):
        if re.search(r"[<…]|@someone", span):
            continue  # placeholders, not examples
        words = span.split()
        choices = [i for i, word in enumerate(words) if "|" in word]
        if not choices:
            examples.append(span)
            continue
        for choice in words[choices[0]].split("|"):
            examples.append(" ".join([*words[: choices[0]], choice, *words[choices[0] + 1 :]]))
    return examples


def test_every_example_in_the_help_parses() -> None:
    examples = _help_examples()
    assert len(examples) >= 20
    for example in examples:
        assert not isinstance(parse(example), (Unknown, CoffeeHelp)), example


def test_usage_hint_is_short() -> None:
    assert usage_hint() == "ask <goal> #topic | join | list | help"


def test_the_whole_help_fits_slacks_section_limit() -> None:
    # A section's text holds at most 3,000 characters (Block Kit reference); the help is longer in all.
    assert len(HELP_TEXT) > 3000
    for message in (
        help_message(HELP_TEXT),
        help_message(HELP_TEXT, "x" * 40),
        help_message(COFFEE_HELP_TEXT),
    ):
        assert all(len(block["text"]["text"]) <= 3000 for block in message.blocks)
        assert "\n\n".join(block["text"]["text"] for block in message.blocks) == message.text


def test_counted_figures_agree_with_their_number() -> None:
    from app.slack.blocks.format import counted

    assert [counted(n, "person", "people") for n in (0, 1, 2)] == ["0 people", "1 person", "2 people"]
    assert counted(1, "pair") == "1 pair" and counted(3, "trio") == "3 trios"
