"""Fixtures for tests that run the bot as real processes: a hooked fake Slack, a process spawner that
always kills its children, and databases (a SQLite file; PostgreSQL when TEST_DATABASE_URL is set)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from bot_processes import Bots, HookedFakeSlack
from clocks import ProcessClock


@pytest.fixture
def fake() -> Iterator[HookedFakeSlack]:
    with HookedFakeSlack() as fake:
        yield fake
    assert not fake.crashes, fake.crashes


@pytest.fixture
def clock() -> ProcessClock:
    """The test's clock and every bot process's: from ``clocks.WEDNESDAY_MORNING`` on, in real time."""
    return ProcessClock()


@pytest.fixture
def bots(
    tmp_path: Path, fake: HookedFakeSlack, clock: ProcessClock, request: pytest.FixtureRequest
) -> Iterator[Bots]:
    bots = Bots(tmp_path, fake, clock)
    try:
        yield bots
    finally:
        bots.close()
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed:
            print(bots.outputs())  # shown with the failure


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> object:
    report = yield
    if report.when == "call":
        item.rep_call = report  # type: ignore[attr-defined]
    return report


@pytest.fixture
def sqlite_url(tmp_path: Path, sqlite_template: Path) -> str:
    """A migrated SQLite file of this test's own (so the test can seed it before a bot starts)."""
    path = tmp_path / "mentorbot.sqlite3"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def pg_url(request: pytest.FixtureRequest) -> str:
    """This run's PostgreSQL schema, emptied; skips without TEST_DATABASE_URL."""
    if not os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("needs PostgreSQL: set TEST_DATABASE_URL")
    return request.getfixturevalue("empty_postgres")
