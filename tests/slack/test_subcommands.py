"""Every sub-command is served: help and unknown words by the help, the rest by a listener."""

from __future__ import annotations

from typing import get_args

from app.slack import subcommands as sc
from app.slack.listeners.commands import HANDLERS


def test_every_sub_command_has_a_handler() -> None:
    answered_with_help = {sc.Help, sc.Unknown}
    assert set(get_args(sc.Command)) == set(HANDLERS) | answered_with_help
    assert not answered_with_help & set(HANDLERS)
