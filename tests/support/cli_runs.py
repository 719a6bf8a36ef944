"""The console entry point in a subprocess, as the CLI tests run it: ``python -m app …`` with an environment
scrubbed of our settings, so nothing from the developer's machine leaks in."""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.sandbox.standin import FakeSlack

REPO = Path(__file__).resolve().parents[2]
SIGNING_SECRET = "cli-signing-secret"
MENTOR = "UCLIMENTOR"
ASKER = "UCLIASKER"
SETTINGS = {
    "DATABASE_URL",
    "PORT",
    "HOST",
    "HTTP_THREADS",
    "WEB_CONCURRENCY",
    "MENTORBOT_ADMINS",
    "DEFAULT_TIMEZONE",
    "REQUEST_EXPIRY_HOURS",
    "SCHEDULER_ENABLED",
    "LOG_FORMAT",
    "LOG_LEVEL",
    "COFFEE_MIX_LEVELS",
}


def clean_env(**settings: str) -> dict[str, str]:
    """os.environ without any of our settings (pydantic-settings ignores case), plus these."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.upper().startswith("SLACK_") and k.upper() not in SETTINGS
    }
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    env["PYTHONUNBUFFERED"] = "1"
    env.update(settings)
    return env


def mentorbot(
    cwd: Path, *args: str, timeout: float = 60, **settings: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        cwd=cwd,
        env=clean_env(**settings),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def good_tokens(fake: FakeSlack | None = None) -> dict[str, str]:
    return {
        "SLACK_BOT_TOKEN": fake.bot_token if fake else "xoxb-1-test",
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
    }


def sqlite_url(tmp_path: Path, name: str = "mentorbot.sqlite3") -> str:
    return f"sqlite:///{tmp_path / name}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(base_url: str, path: str) -> tuple[int, str]:
    host, port = base_url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=2)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        return resp.status, resp.read().decode()
    finally:
        conn.close()


def wait_until_healthy(
    process: subprocess.Popen[bytes], base_url: str, log: Path, timeout: float = 30
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"mentorbot exited with {process.returncode}:\n{log.read_text()}")
        try:
            status, body = get(base_url, "/healthz")
        except OSError:
            time.sleep(0.1)
            continue
        assert (status, json.loads(body)) == (200, {"ok": True})
        return
    pytest.fail(f"/healthz did not answer within {timeout}s:\n{log.read_text()}")
