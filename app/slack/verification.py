"""Check each HTTP request's signature, as Bolt's RequestVerification does, without logging its body.

Bolt's own middleware logs a refused request's whole body at INFO: a person's goal, and a
response_url anyone can post with for 30 minutes. This one says only that a request was refused.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_bolt.middleware import Middleware
from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.signature import SignatureVerifier

log = logging.getLogger(__name__)


class QuietRequestVerification(Middleware):
    """X-Slack-Signature and a 5-minute X-Slack-Request-Timestamp window, as Slack documents."""

    def __init__(self, signing_secret: str) -> None:
        self._verifier = SignatureVerifier(signing_secret=signing_secret)

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse:
        if req.mode == "socket_mode":  # the WebSocket is authenticated by the app-level token
            return next()
        timestamp = req.headers.get("x-slack-request-timestamp", ["0"])[0]
        signature = req.headers.get("x-slack-signature", [""])[0]
        if self._verifier.is_valid(req.raw_body, timestamp, signature):
            return next()
        # If every request lands here, SLACK_SIGNING_SECRET is not this app's.
        log.info(
            "refused a request (%d bytes) whose signature does not match SLACK_SIGNING_SECRET "
            "or is older than 5 minutes",
            len(req.raw_body),
        )
        return BoltResponse(status=401, body={"error": "invalid request"})
