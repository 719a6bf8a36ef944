"""``mentorbot sandbox`` through the real CLI in a subprocess: it says where to look and stops on SIGTERM;
a bad or taken port and a broken DATABASE_URL are one line naming the setting, no traceback."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import urllib.request

from cli_runs import clean_env, free_port, mentorbot


def said_once(done: subprocess.CompletedProcess[str]) -> str:
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("mentorbot: "), done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
    return lines[0]


def test_a_port_that_is_not_a_number_is_named(tmp_path):
    done = mentorbot(tmp_path, "sandbox", SANDBOX_PORT="http")
    assert done.returncode == 2
    assert "SANDBOX_PORT" in said_once(done)


def test_a_taken_port_is_named_before_anything_starts(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        done = mentorbot(tmp_path, "sandbox", SANDBOX_PORT=str(port))
    assert done.returncode == 2
    line = said_once(done)
    assert f"SANDBOX_PORT={port}" in line and "another port" in line
    assert not (tmp_path / "mentorbot-sandbox.sqlite3").exists(), (
        "nothing was built for a sandbox that can't run"
    )


def test_a_database_url_that_is_not_a_url_is_named(tmp_path):
    done = mentorbot(tmp_path, "sandbox", SANDBOX_PORT="0", DATABASE_URL="notaurl")
    assert done.returncode == 2
    assert "DATABASE_URL" in said_once(done)


def test_it_prints_the_page_serves_the_workspace_and_stops_on_sigterm(tmp_path):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "app", "sandbox"],
        cwd=tmp_path,
        env=clean_env(SANDBOX_PORT=str(port), LOG_FORMAT="json"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        ready = process.stdout.readline()  # blocks until the sandbox says it is ready (or exits)
        assert f"open http://127.0.0.1:{port}/" in ready, ready
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/people", timeout=10) as answer:
            assert len(json.load(answer)["people"]) == 12
        assert "database: " in process.stdout.readline()
        process.send_signal(signal.SIGTERM)
        _, errors = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, errors
    logged = [json.loads(line) for line in errors.splitlines() if line.startswith("{")]
    assert not [line for line in errors.splitlines() if not line.startswith("{")], errors  # no traceback
    assert not [e for e in logged if e["msg"].startswith("Running upgrade")], (
        "a fresh sandbox's migrations are quiet"
    )
    assert (tmp_path / "mentorbot-sandbox.sqlite3").exists()
