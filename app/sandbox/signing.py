"""Requests to the bot exactly as Slack sends them: form-encoded, signed with v0 HMAC-SHA256.

The bot checks these signatures as it checks Slack's (Bolt's verifier): the sandbox shares the signing
secret with it, the way a Slack app and Slack do. Shapes follow Slack's documented payloads (slash
commands: form fields; interactions: ``payload=<json>``).
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import time
from typing import Any, NamedTuple
from urllib.parse import urlencode

FORM = "application/x-www-form-urlencoded"


class Reply(NamedTuple):
    status: int
    body: str


def signed_headers(
    secret: str, body: str, timestamp: int | None = None, content_type: str = FORM
) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": f"v0={digest}",
    }


class BotLink:
    """Sends signed requests to the bot's /slack/events."""

    def __init__(self, host: str, port: int, secret: str) -> None:
        self.host, self.port, self._secret = host, port, secret

    def post(self, body: str, content_type: str = FORM) -> Reply:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=10)
        try:
            headers = signed_headers(self._secret, body, content_type=content_type)
            connection.request("POST", "/slack/events", body.encode(), headers)
            answer = connection.getresponse()
            return Reply(answer.status, answer.read().decode("utf-8", "replace"))
        finally:
            connection.close()

    def command(self, fields: dict[str, str]) -> Reply:
        return self.post(urlencode(fields))

    def event(self, envelope: dict[str, Any]) -> Reply:
        """An Events API delivery: a JSON body, signed the same way."""
        return self.post(json.dumps(envelope), "application/json")

    def interaction(self, payload: dict[str, Any]) -> Reply:
        return self.post(urlencode({"payload": json.dumps(payload)}))
