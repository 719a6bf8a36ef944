"""``mentorbot run`` in Socket Mode as a real process: against the Socket Mode stand-in it answers over
the WebSocket, reconnects after a drop and stops on SIGTERM; with an app token Slack refuses it stops at
start-up with status 2 and one line naming SLACK_APP_TOKEN."""

from __future__ import annotations

import json

from bot_processes import Bots, HookedFakeSlack, answer_text, http_get, log_problems, wait_until
from fake_socket_mode import FakeSocketMode
from socket_requests import SocketSender

EXIT_CONFIG = 2
MENTOR = "USOCKMENT"


def test_a_wrong_app_token_stops_start_up_with_one_line_naming_it(
    bots: Bots, fake: HookedFakeSlack, sqlite_url
):
    bot = bots.start(
        sqlite_url, wait=False, SLACK_APP_TOKEN="xapp-1-A0MENTOR-1-revoked", SCHEDULER_ENABLED="false"
    )
    status = bot.wait(timeout=60)
    output = bot.output()
    assert status == EXIT_CONFIG, output
    naming = [line for line in output.splitlines() if "SLACK_APP_TOKEN" in line]
    assert len(naming) == 1, output
    assert naming[0].startswith("mentorbot: SLACK_APP_TOKEN was refused by Slack (invalid_auth)")
    assert "xapp-1-A0MENTOR-1-revoked" not in output and "Traceback" not in output
    assert [call.error for call in fake.calls_to("apps.connections.open")] == ["invalid_auth"]


def test_socket_mode_serves_reconnects_after_a_drop_and_stops_on_sigterm(
    bots: Bots, fake: HookedFakeSlack, sqlite_url
):
    fake.add_user(MENTOR, "sam", real_name="Sam Mentor", tz="Europe/Berlin")
    with FakeSocketMode(fake) as socket_end:
        bot = bots.start(sqlite_url, SLACK_APP_TOKEN=fake.app_token, SCHEDULER_ENABLED="false")
        first = socket_end.wait_connected(timeout=30)
        sender = SocketSender(socket_end, fake, timeout=15)

        assert sender.command("join #python", MENTOR).status == 200
        joined = fake.wait_for(lambda: fake.responses_for(sender.last_response_key), timeout=10)[-1]
        assert "Welcome to the mentor register" in answer_text(joined)

        dropped = socket_end.drop()
        again = socket_end.wait_connected(after=dropped, timeout=5)
        reconnect_seconds = again.hello_at - dropped.dropped_at
        assert sender.command("list", MENTOR).status == 200
        ack = socket_end.acks_for(sender.last_envelope.envelope_id)[0]
        assert ack.link == again.number and ack.seconds < 3.0
        status, body = http_get(bot.base_url, "/healthz")
        assert (status, json.loads(body)) == (200, {"ok": True})
        metrics = http_get(bot.base_url, "/metrics")[1]
        assert 'mentorbot_slack_requests_total{kind="command",status="200"} 2.0' in metrics

        bot.sigterm()
        assert bot.wait(timeout=15) == 0, bot.output()
        wait_until(lambda: not again.open, timeout=5, what="the bot to close its connection")
    output = bot.output()
    assert first.number == 1 and not log_problems_except_drops(output), output
    print(
        f"\nprocess: reconnect after an abrupt drop {reconnect_seconds * 1000:.0f} ms, "
        f"ack right after hello {ack.seconds * 1000:.1f} ms"
    )


def log_problems_except_drops(output: str) -> list[str]:
    """The SDK logs a dropped connection at error level; anything else at that level is a problem."""
    return [line for line in log_problems(output) if "Connection to remote host was lost" not in line]


def test_slack_unable_to_open_socket_mode_at_start_up_is_waited_out_a_line_per_try(
    bots: Bots, fake: HookedFakeSlack, sqlite_url
):
    # No stand-in yet: apps.connections.open answers internal_error, as Slack does when it can't.
    bot = bots.start(sqlite_url, wait=False, SLACK_APP_TOKEN=fake.app_token, SCHEDULER_ENABLED="false")
    wait_until(lambda: bot.output().count("Socket Mode try") >= 2, timeout=30, what="two tries in the log")
    assert bot.alive(), bot.output()  # still there, waiting for Slack
    with FakeSocketMode(fake) as socket_end:
        socket_end.wait_connected(timeout=30)
        bot.sigterm()
        assert bot.wait(timeout=15) == 0, bot.output()
    output = bot.output()
    tries = [line for line in output.splitlines() if "Socket Mode try" in line]
    assert all("internal_error" in line and "trying again in" in line for line in tries), tries
    assert "Traceback" not in output and fake.app_token not in output
