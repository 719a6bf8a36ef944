"""The console entry point, run for real: ``python -m app run|migrate`` in a subprocess.

Bad settings stop start-up with one line naming the variable and exit status 2; ``migrate`` builds the
schema; and ``run`` serves Slack over HTTP, runs the scheduler's delivery job, and stops cleanly on
SIGTERM. The environment is scrubbed of our settings and the working directory has no ``.env``, so
nothing from the developer's machine leaks in.
"""

from __future__ import annotations

import json
import signal
import subprocess

import pytest
from cli_runs import ASKER, MENTOR, SIGNING_SECRET, good_tokens, mentorbot, sqlite_url, wait_until_healthy
from slack_requests import SlackSender
from sqlalchemy import create_engine, inspect

TABLES = {
    "members",
    "mentor_profiles",
    "mentor_topics",
    "asks",
    "meetings",
    "feedback",
    "notices",
    "alembic_version",
}


# --- bad settings -------------------------------------------------------------------------------------------


def test_a_missing_bot_token_stops_start_up_with_status_2(tmp_path):
    done = mentorbot(tmp_path, "run", SLACK_SIGNING_SECRET=SIGNING_SECRET, DATABASE_URL=sqlite_url(tmp_path))
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert [line for line in lines if "SLACK_BOT_TOKEN" in line and "not set" in line]
    assert not [line for line in lines if "SLACK_SIGNING_SECRET" in line]  # only the missing one is named
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "mentorbot.sqlite3").exists()  # stopped before touching the database


def test_nothing_set_names_both_tokens(tmp_path):
    done = mentorbot(tmp_path, "run")
    assert done.returncode == 2
    assert "SLACK_BOT_TOKEN" in done.stderr and "SLACK_SIGNING_SECRET" in done.stderr
    assert "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []  # not even the default SQLite file


@pytest.mark.parametrize("port", ["not-a-port", "70000", "0", "-1", "3000.5"])
def test_a_malformed_port_stops_start_up_with_status_2(tmp_path, port):
    done = mentorbot(tmp_path, "run", PORT=port, DATABASE_URL=sqlite_url(tmp_path), **good_tokens())
    assert done.returncode == 2, done.stderr
    named = [line for line in done.stderr.splitlines() if "PORT" in line]
    assert len(named) == 1 and "malformed" in named[0]
    assert "Traceback" not in done.stderr


def test_a_wrong_kind_of_token_is_named_without_echoing_it(tmp_path):
    done = mentorbot(
        tmp_path,
        "run",
        SLACK_BOT_TOKEN="xoxp-user-token-very-secret",
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        DATABASE_URL=sqlite_url(tmp_path),
    )
    assert done.returncode == 2
    assert "SLACK_BOT_TOKEN is malformed" in done.stderr and "xoxb-" in done.stderr
    assert "very-secret" not in done.stderr + done.stdout


def test_settings_come_from_a_dot_env_file_in_the_working_directory(tmp_path):
    (tmp_path / ".env").write_text(
        f"SLACK_BOT_TOKEN=xoxb-from-dotenv\nSLACK_SIGNING_SECRET={SIGNING_SECRET}\n"
    )
    done = mentorbot(tmp_path, "run", PORT="nope", DATABASE_URL=sqlite_url(tmp_path))
    assert done.returncode == 2
    assert "PORT" in done.stderr and "SLACK_" not in done.stderr  # the tokens were found in .env


# --- migrate ------------------------------------------------------------------------------------------------


def test_migrate_builds_the_schema_and_can_run_twice(tmp_path):
    url = sqlite_url(tmp_path, "migrated.sqlite3")
    for _ in range(2):
        done = mentorbot(tmp_path, "migrate", DATABASE_URL=url)  # needs no Slack tokens
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr
    engine = create_engine(url)
    try:
        assert set(inspect(engine).get_table_names()) >= TABLES
    finally:
        engine.dispose()


def test_migrate_with_an_unusable_database_url_fails_with_one_line(tmp_path):
    done = mentorbot(tmp_path, "migrate", DATABASE_URL="nosuchdb://somewhere/db")
    assert done.returncode != 0
    assert "could not upgrade the database" in done.stderr and "Traceback" not in done.stderr


# --- the real thing -----------------------------------------------------------------------------------------


def texts(response) -> str:
    parts = [response.text or ""]
    for block in response.blocks or []:
        if isinstance(block.get("text"), dict):
            parts.append(block["text"]["text"])
    return "\n".join(parts)


def test_run_serves_slack_delivers_from_the_scheduler_and_stops_on_sigterm(
    bot_process, fake, tmp_path, clock
):
    process, base_url, log = bot_process
    wait_until_healthy(process, base_url, log)
    sender = SlackSender(base_url, SIGNING_SECRET, fake=fake, clock=lambda: clock().timestamp())

    assert sender.command("join #python", MENTOR).status == 200
    joined = fake.wait_for(lambda: fake.responses_for(sender.last_response_key), timeout=10)[-1]
    assert "Welcome to the mentor register" in texts(joined)

    assert sender.command("ask How do I write a good design doc? #python", ASKER).status == 200
    offers = fake.wait_for(lambda: fake.responses_for(sender.last_response_key), timeout=10)[-1]
    slot = next(
        e
        for b in offers.blocks
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"].startswith("pick_slot")
    )
    assert json.loads(slot["value"])["m"] == MENTOR

    assert sender.action(ASKER, slot["action_id"], slot["value"]).status == 200
    sent = fake.wait_for(lambda: fake.responses_for(sender.last_response_key), timeout=10)[-1]
    assert "Request sent" in texts(sent)

    # Nobody calls deliver here: the scheduler's delivery job in the bot process sends the DM.
    request = fake.wait_for(lambda: fake.dms_to(MENTOR), timeout=15)[-1]
    assert "How do I write a good design doc?" in json.dumps(request["blocks"])
    assert [e["action_id"] for b in request["blocks"] if b["type"] == "actions" for e in b["elements"]] == [
        "accept_request",
        "decline_request",
    ]

    process.send_signal(signal.SIGTERM)
    try:
        status = process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pytest.fail(f"mentorbot did not stop within 10 s of SIGTERM:\n{log.read_text()}")
    output = log.read_text()
    assert status == 0, output
    assert "Traceback" not in output, output
    assert len(fake.dms_to(MENTOR)) == 1  # delivered exactly once
