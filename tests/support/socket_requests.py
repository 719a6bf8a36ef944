"""Slack's requests as Socket Mode envelopes: ``SocketSender`` is ``SlackSender`` (the same payload
builders, ids and response_urls from the fake) that delivers each request through a ``FakeSocketMode``
and answers with its ack, so a test ``Harness`` works unchanged in either mode.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qsl

from fake_socket_mode import Envelope, FakeSocketMode
from slack_requests import FORM, Reply, SlackSender

from app.sandbox.standin import FakeSlack


class SocketSender(SlackSender):
    """``SlackSender`` whose requests go as Socket Mode envelopes; ``Reply`` is the ack (200, its payload
    as the body), or status 0 when no ack came in time. ``last_envelope`` is the last one sent."""

    def __init__(self, socket_mode: FakeSocketMode, fake: FakeSlack, *, timeout: float = 10.0) -> None:
        super().__init__("http://socket-mode.invalid", "unused: Socket Mode is not signed", fake=fake)
        self.socket_mode = socket_mode
        self.ack_timeout = timeout
        self.last_envelope: Envelope | None = None
        self.lose_next_ack = False  # the next request's first ack is lost (see FakeSocketMode.lose_next_ack)
        self.drop_with_it = False

    def post(self, body: str, content_type: str = FORM, timestamp: int | None = None) -> Reply:
        envelope = envelope_for(body, content_type)
        if self.lose_next_ack:
            self.socket_mode.lose_next_ack(envelope.envelope_id, drop_with_it=self.drop_with_it)
            self.lose_next_ack = self.drop_with_it = False
        self.last_envelope = self.socket_mode.deliver(envelope)
        return self.wait_reply(envelope)

    def wait_reply(self, envelope: Envelope) -> Reply:
        try:
            ack = self.socket_mode.wait_ack(envelope.envelope_id, timeout=self.ack_timeout)
        except AssertionError:
            return Reply(0, {}, "")
        return Reply(200, {}, json.dumps(ack.payload) if ack.payload else "")


def envelope_for(body: str, content_type: str) -> Envelope:
    """The envelope Slack sends in Socket Mode for the request it would POST over HTTP: the same fields,
    as JSON (a slash command's form fields stay strings)."""
    if content_type != FORM:
        return Envelope("events_api", json.loads(body), accepts_response_payload=False)
    fields = dict(parse_qsl(body, keep_blank_values=True))
    if "payload" in fields:
        payload = json.loads(fields["payload"])
        return Envelope(
            "interactive", payload, accepts_response_payload=payload.get("type") != "block_actions"
        )
    return Envelope("slash_commands", fields, accepts_response_payload=True)
