"""The Socket Mode stand-in and FakeSlack's apps.connections.open answer as Slack documents, checked with
a bare WebSocket client (websocket-client, as the bot uses), so the bot's tests stand on solid ground."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fake_socket_mode import Envelope, FakeSocketMode
from slack_sdk.errors import SlackApiError
from websocket import WebSocket, create_connection

from app.sandbox.standin import FakeSlack


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def socket_end(fake: FakeSlack) -> Iterator[FakeSocketMode]:
    with FakeSocketMode(fake, ack_timeout=0.3) as socket_end:
        yield socket_end


def open_url(fake: FakeSlack, token: str) -> str:
    return str(fake.client().apps_connections_open(app_token=token)["url"])


def connect(url: str) -> WebSocket:
    ws = create_connection(url, timeout=5)
    hello = json.loads(ws.recv())
    assert hello["type"] == "hello" and hello["connection_info"] == {"app_id": "A0MENTOR"}
    return ws


def test_apps_connections_open_wants_the_apps_own_app_level_token(fake, socket_end):
    assert open_url(fake, fake.app_token).startswith(f"ws://127.0.0.1:{socket_end.port}/link/?ticket=")
    for token, error in (
        ("xapp-1-A0MENTOR-1-unknown", "invalid_auth"),
        (fake.bot_token, "not_allowed_token_type"),
    ):
        with pytest.raises(SlackApiError) as refused:
            open_url(fake, token)
        assert refused.value.response["error"] == error
    # And the other way round: the app-level token is no bot token.
    with pytest.raises(SlackApiError) as refused:
        fake.client(token=fake.app_token).auth_test()
    assert refused.value.response["error"] == "not_allowed_token_type"


def test_apps_connections_open_without_a_stand_in_is_an_internal_error(fake):
    with pytest.raises(SlackApiError) as refused:
        open_url(fake, fake.app_token)
    assert refused.value.response["error"] == "internal_error"


def test_a_url_is_good_for_one_connection(fake, socket_end):
    url = open_url(fake, fake.app_token)
    connect(url).close()
    again = create_connection(url, timeout=5)
    try:
        assert again.recv() == ""  # a close frame, no hello
    finally:
        again.close()
    assert socket_end.refused_tickets == 1


def test_an_unacked_envelope_comes_again_with_its_envelope_id_and_the_next_retry_attempt(fake, socket_end):
    ws = connect(open_url(fake, fake.app_token))
    envelope = socket_end.deliver(Envelope("events_api", {"event_id": "Ev1"}, accepts_response_payload=False))
    first, second = json.loads(ws.recv()), json.loads(ws.recv())  # no ack in between
    assert first["envelope_id"] == second["envelope_id"] == envelope.envelope_id
    assert (first["retry_attempt"], second["retry_attempt"], second["retry_reason"]) == (0, 1, "timeout")
    ws.send(json.dumps({"envelope_id": envelope.envelope_id}))
    assert socket_end.wait_ack(envelope.envelope_id).link == 1
    ws.close()


def test_refresh_requested_then_the_old_connection_goes_once_a_new_one_is_up(fake, socket_end):
    old_ws = connect(open_url(fake, fake.app_token))
    old = socket_end.refresh()
    assert json.loads(old_ws.recv()) == {
        "type": "disconnect",
        "reason": "refresh_requested",
        "debug_info": {"host": "fake"},
    }
    # Nothing more goes on the old connection: an envelope waits for the new one.
    envelope = socket_end.deliver(
        Envelope("slash_commands", {"command": "/mentor"}, accepts_response_payload=True)
    )
    new_ws = connect(open_url(fake, fake.app_token))
    assert json.loads(new_ws.recv())["envelope_id"] == envelope.envelope_id
    assert old_ws.recv() == ""  # Slack closes the old connection (websocket-client answers the close frame)
    old_ws.shutdown()  # and the TCP connection, which websocket-client leaves open
    socket_end.wait_closed(old, timeout=5)
    new_ws.close()
