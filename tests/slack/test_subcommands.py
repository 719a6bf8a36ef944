"""Every sub-command is served: help and unknown words in the ack, the rest by the listeners' match.

mypy proves the match exhaustive (``assert_never`` in its default arm); this test keeps the promise
where no type checker runs, by reading the ``case`` patterns of the listeners that serve /mentor.
"""

from __future__ import annotations

import ast
import inspect
from typing import get_args

from app.slack import subcommands as sc
from app.slack.listeners import coffee, commands, insight


def _case_classes(module: object) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(inspect.getsource(module))):  # type: ignore[arg-type]
        if isinstance(node, ast.MatchClass) and isinstance(node.cls, ast.Attribute):
            names.add(node.cls.attr)
    return names


def test_every_sub_command_has_a_case() -> None:
    served = _case_classes(commands) | _case_classes(coffee) | _case_classes(insight)
    assert {t.__name__ for t in get_args(sc.Command)} <= served


def test_the_matches_end_in_assert_never() -> None:
    for module in (commands, coffee, insight):
        assert "assert_never(cmd)" in inspect.getsource(module), module.__name__
