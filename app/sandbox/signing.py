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


def signed_headers(secret: str, body: str, timestamp: int | None = None) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {
        "Content-Type": FORM,
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": f"v0={digest}",
    }


class BotLink:
    """Sends signed requests to the bot's /slack/events."""

    def __init__(self, host: str, port: int, secret: str) -> None:
        self.host, self.port, self._secret = host, port, secret

    def post(self, body: str) -> Reply:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=10)
        try:
            connection.request("POST", "/slack/events", body.encode(), signed_headers(self._secret, body))
            answer = connection.getresponse()
            return Reply(answer.status, answer.read().decode("utf-8", "replace"))
        finally:
            connection.close()

    def command(self, fields: dict[str, str]) -> Reply:
        return self.post(urlencode(fields))

    def interaction(self, payload: dict[str, Any]) -> Reply:
        return self.post(urlencode({"payload": json.dumps(payload)}))
