"""Fixtures for the CLI tests: a fake Slack knowing a mentor and an asker, the test's clock, and a real
``python -m app run`` on a fresh SQLite file."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_runs import ASKER, MENTOR, clean_env, free_port, good_tokens, sqlite_url
from clocks import ProcessClock

from app.sandbox.standin import FakeSlack


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        fake.add_user(MENTOR, "mo", tz="Europe/Berlin")
        fake.add_user(ASKER, "al", tz="America/New_York")
        yield fake


@pytest.fixture
def clock() -> ProcessClock:
    return ProcessClock()


@pytest.fixture
def bot_process(
    tmp_path: Path, fake: FakeSlack, clock: ProcessClock
) -> Iterator[tuple[subprocess.Popen[bytes], str, Path]]:
    port = free_port()
    log = tmp_path / "mentorbot.log"
    env = clean_env(
        **good_tokens(fake),
        SLACK_API_URL=fake.api_url,
        PORT=str(port),
        HOST="127.0.0.1",
        DATABASE_URL=sqlite_url(tmp_path),
        SCHEDULER_ENABLED="true",
        HTTP_THREADS="4",
        **clock.child_env(),  # the bot runs on the test's clock
    )
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "app", "run"], cwd=tmp_path, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        yield process, f"http://127.0.0.1:{port}", log
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
