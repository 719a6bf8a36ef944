"""Honest start-up, through the real CLI in a subprocess: every problem is one line naming the setting,
exit status 2, no traceback; Slack is asked who we are once, before serving, and an outage is waited
out a line per try; no request ever waits for auth.test; what people wrote never reaches the log."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cli_runs import (
    ASKER,
    SIGNING_SECRET,
    clean_env,
    free_port,
    good_tokens,
    mentorbot,
    sqlite_url,
    wait_until_healthy,
)
from slack_requests import SlackSender, signed_headers, slash_command_body

from app.sandbox.standin import FakeSlack


def one_line(done: subprocess.CompletedProcess[str]) -> str:
    """The one line saying what is wrong; besides it only log lines of what went well (the schema
    built on a first start), nothing on stdout, no traceback."""
    lines = done.stderr.strip().splitlines()
    logged = [json.loads(line) for line in lines if line.startswith("{")]
    said = [line for line in lines if not line.startswith("{")]
    assert len(said) == 1 and said[0].startswith("mentorbot: "), done.stderr
    assert all(line["msg"].startswith("Running upgrade") for line in logged), done.stderr
    assert done.stdout == "" and "Traceback" not in done.stderr
    return said[0]


# --- settings ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["run", "migrate"])
def test_a_database_url_that_is_not_a_url_is_named_with_status_2(tmp_path, command):
    done = mentorbot(tmp_path, command, DATABASE_URL="notaurl", **good_tokens())
    assert done.returncode == 2
    line = one_line(done)
    assert "DATABASE_URL is malformed" in line and "postgresql://" in line
    assert list(tmp_path.iterdir()) == []  # nothing created


def test_a_database_url_with_a_password_is_never_echoed(tmp_path):
    done = mentorbot(
        tmp_path, "run", DATABASE_URL="postgresql://me:hunter2secret@db:notaport/x", **good_tokens()
    )
    assert done.returncode == 2
    line = one_line(done)
    assert "DATABASE_URL" in line and "hunter2secret" not in line


def test_messages_say_what_is_wanted_and_log_level_takes_any_case(tmp_path):
    done = mentorbot(
        tmp_path,
        "run",
        LOG_LEVEL="debug",  # accepted: not named below
        LOG_FORMAT="Text",
        COFFEE_MIX_LEVELS="maybe",
        PORT="70000",
        DATABASE_URL=sqlite_url(tmp_path),
        **good_tokens(),
    )
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 2 and "Traceback" not in done.stderr, done.stderr
    mix = next(line for line in lines if "COFFEE_MIX_LEVELS" in line)
    assert "true or false" in mix and "'maybe'" in mix
    port = next(line for line in lines if "PORT" in line)
    assert "whole number from 1 to 65535" in port and "'70000'" in port
    assert "LOG_" not in done.stderr


def test_a_wrong_log_level_lists_the_levels(tmp_path):
    done = mentorbot(tmp_path, "run", LOG_LEVEL="loud", DATABASE_URL=sqlite_url(tmp_path), **good_tokens())
    assert done.returncode == 2
    assert "LOG_LEVEL is malformed: it wants DEBUG, INFO, WARNING or ERROR" in one_line(done)


# --- the port and the token ---------------------------------------------------------------------------------


def test_a_taken_port_stops_start_up_in_one_line_before_asking_slack(tmp_path, fake):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = mentorbot(
            tmp_path,
            "run",
            HOST="127.0.0.1",
            PORT=str(port),
            SLACK_API_URL=fake.api_url,
            DATABASE_URL=sqlite_url(tmp_path),
            **good_tokens(fake),
        )
    assert done.returncode == 2
    line = one_line(done)
    assert f"127.0.0.1:{port}" in line and "PORT" in line and "in use" in line
    assert fake.calls_to("auth.test") == []  # a local problem is found before the slow one


@pytest.mark.parametrize("error", ["invalid_auth", "token_revoked", "account_inactive", "not_authed"])
def test_a_token_slack_refuses_stops_start_up_naming_slack_bot_token(tmp_path, fake, error):
    tokens = good_tokens(fake)
    if error == "invalid_auth":
        tokens["SLACK_BOT_TOKEN"] = "xoxb-000-placeholder-from-the-readme"  # the fake knows only its own
    else:
        fake.fail_next("auth.test", error=error)
    done = mentorbot(
        tmp_path,
        "run",
        PORT=str(free_port()),
        HOST="127.0.0.1",
        SLACK_API_URL=fake.api_url,
        DATABASE_URL=sqlite_url(tmp_path),
        **tokens,
    )
    assert done.returncode == 2
    line = one_line(done)
    assert "SLACK_BOT_TOKEN" in line and error in line
    assert tokens["SLACK_BOT_TOKEN"] not in line
    assert [call.error for call in fake.calls_to("auth.test")] == [error]  # asked once, not retried


# --- Slack unreachable, slow, or coming back ----------------------------------------------------------------


def start(
    tmp_path: Path, api_url: str, fake: FakeSlack | None = None, **settings: str
) -> tuple[subprocess.Popen[bytes], Path, str]:
    port = free_port()
    log = tmp_path / "mentorbot.log"
    env = clean_env(
        **good_tokens(fake),
        **settings,
        SLACK_API_URL=api_url,
        PORT=str(port),
        HOST="127.0.0.1",
        DATABASE_URL=sqlite_url(tmp_path),
        SCHEDULER_ENABLED="false",
    )
    with log.open("wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "app", "run"], cwd=tmp_path, env=env, stderr=out)
    return process, log, f"http://127.0.0.1:{port}"


def log_lines(log: Path) -> list[dict]:
    return [json.loads(line) for line in log.read_text().splitlines() if line.strip()]


def wait_for_lines(process: subprocess.Popen[bytes], log: Path, predicate, count: int, timeout: float = 20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [line for line in log_lines(log) if predicate(line)]
        if len(found) >= count:
            return found
        assert process.poll() is None, log.read_text()
        time.sleep(0.05)
    pytest.fail(f"no {count} such lines within {timeout}s:\n{log.read_text()}")


@pytest.mark.parametrize("mode", ["http", "socket"])
def test_slack_unreachable_is_retried_a_line_per_try_until_stopped(tmp_path, mode):
    with socket.socket() as closed:  # a port nobody listens on
        closed.bind(("127.0.0.1", 0))
        api_url = f"http://127.0.0.1:{closed.getsockname()[1]}/api/"
    socket_mode = {"SLACK_APP_TOKEN": "xapp-1-A0MENTOR-1-cli"} if mode == "socket" else {}
    process, log, _ = start(tmp_path, api_url, **socket_mode)
    try:
        tries = wait_for_lines(process, log, lambda line: "auth.test try" in line["msg"], count=2)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
    text = log.read_text()
    assert "Traceback" not in text, text
    assert [t["level"] for t in tries[:2]] == ["warning", "warning"]
    assert (
        "auth.test try 1: could not reach Slack" in tries[0]["msg"]
        and "trying again in 1 s" in tries[0]["msg"]
    )
    assert "trying again in 2 s" in tries[1]["msg"]  # backing off
    assert any("stopped before Slack answered" in line["msg"] for line in log_lines(log))
    assert len(text.splitlines()) == len(log_lines(log))  # every line one JSON object: no stray output


def test_slack_answering_errors_at_first_is_waited_out_then_the_bot_serves(tmp_path, fake):
    fake.fail_next("auth.test", error="internal_error", status=500)
    fake.fail_next("auth.test", error="ratelimited", retry_after=1)
    process, log, base_url = start(tmp_path, fake.api_url, fake)
    try:
        wait_until_healthy(process, base_url, log)
        tries = [line["msg"] for line in log_lines(log) if "auth.test try" in line["msg"]]
        assert len(tries) == 2, tries
        assert "internal_error" in tries[0] and "ratelimited" in tries[1]
        assert [call.ok for call in fake.calls_to("auth.test")] == [False, False, True]
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=10)


def test_no_request_waits_for_a_slow_auth_test(bot_process, fake, clock):
    process, base_url, log = bot_process
    wait_until_healthy(process, base_url, log)
    assert len(fake.calls_to("auth.test")) == 1  # start-up asked, before serving
    fake.delay("auth.test", 5.0)  # any request that asked again would take 5 s
    sender = SlackSender(base_url, SIGNING_SECRET, fake=fake, clock=lambda: clock().timestamp())
    started = time.perf_counter()
    reply = sender.command("help", ASKER)
    elapsed = time.perf_counter() - started
    assert reply.status == 200 and "/mentor ask" in reply.body
    assert elapsed < 2.0, elapsed  # Slack gives up after 3 s; a 5 s auth.test would blow it
    assert len(fake.calls_to("auth.test")) == 1
    fake.delay("auth.test", 0)


# --- logs ---------------------------------------------------------------------------------------------------


def test_a_forged_request_leaves_nothing_a_person_wrote_in_the_log(bot_process, fake, clock):
    process, base_url, log = bot_process
    wait_until_healthy(process, base_url, log)
    goal = "how do I tell my manager I am burning out"
    response_url = fake.response_url("forged")
    body = slash_command_body("/mentor", f"ask {goal} #career", ASKER, response_url=response_url)
    sender = SlackSender(base_url, SIGNING_SECRET, fake=fake, clock=lambda: clock().timestamp())
    forged = signed_headers("not-the-signing-secret", body, timestamp=int(clock().timestamp()))
    assert sender.post_raw(body, forged).status == 401
    # ... and the same goal, properly signed, so we know the bot logs requests at all; then the goal
    # typed without "ask" (its first word is not a sub-command, so it is the person's own word).
    assert sender.command(f"ask {goal} #career", ASKER).status == 200
    fake.wait_for(lambda: fake.responses_for(sender.last_response_key), timeout=10)
    assert sender.command(f"burning out, {goal}", ASKER).status == 200
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=10) == 0
    text = log.read_text()
    assert "slack request rejected -> 401" in text and "slack request command -> 200" in text
    assert '"what": "/mentor ask"' in text and '"what": "/mentor (unknown)"' in text
    encoded = "%2Fresponse%2Fforged"
    for words in (goal, goal.replace(" ", "+"), "burning", response_url, "/response/", encoded):
        assert words not in text, words
    assert "SLACK_SIGNING_SECRET" in text  # the refusal says what to check
    assert "will be unused" not in text  # Bolt's warning about SLACK_BOT_TOKEN in the environment
    assert "Context impl" not in text and "Will assume" not in text  # Alembic's start-up chatter


def test_at_a_terminal_logs_are_text_with_tracebacks_as_lines_and_json_otherwise(tmp_path):
    import os
    import pty

    url = sqlite_url(tmp_path)
    main, terminal = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "app", "migrate"],
            cwd=tmp_path,
            env=clean_env(DATABASE_URL=url),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=terminal,
            timeout=60,
            check=False,
        )
        os.close(terminal)
        output = b""
        while True:
            try:
                chunk = os.read(main, 65536)
            except OSError:  # EIO: the other end is closed and drained
                break
            if not chunk:
                break
            output += chunk
    finally:
        os.close(main)
    assert done.returncode == 0
    lines = output.decode().splitlines()
    upgrades = [line for line in lines if "Running upgrade" in line]
    assert upgrades and all(" INFO alembic.runtime.migration Running upgrade" in line for line in upgrades)
    assert not any(line.lstrip().startswith("{") for line in lines)  # not JSON
    assert len(upgrades) == len(lines), lines  # Alembic's other start-up lines are gone

    again = mentorbot(tmp_path, "migrate", DATABASE_URL=url)  # not a terminal: JSON, and nothing to do
    assert again.returncode == 0 and again.stderr == ""
    first = mentorbot(tmp_path, "migrate", DATABASE_URL=sqlite_url(tmp_path, "other.sqlite3"))
    assert all(json.loads(line)["msg"].startswith("Running upgrade") for line in first.stderr.splitlines())
