"""A ``mentorbot sandbox`` for a test: SQLite in the test's directory, the test's Wednesday morning on its
clock, no scheduler (the test moves the clock and runs the due work through the page)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from clocks import WEDNESDAY_MORNING

from app.sandbox.clock import SandboxClock
from app.sandbox.run import RunningSandbox, start_sandbox


@contextmanager
def running_sandbox(directory: Path) -> Iterator[RunningSandbox]:
    running = start_sandbox(
        port=0,
        db_url=f"sqlite:///{directory / 'sandbox.sqlite3'}",
        clock=SandboxClock(WEDNESDAY_MORNING),
        scheduler=False,
    )
    try:
        yield running
    finally:
        running.stop()
