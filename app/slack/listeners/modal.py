"""Opening a modal from a click or a command: Slack's trigger_id lives 3 seconds and works once."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

log = logging.getLogger(__name__)

_TRIGGER_GONE = ("expired_trigger_id", "invalid_trigger_id", "exchanged_trigger_id")


def open_modal(
    client: WebClient, trigger_id: str, view: dict[str, Any], respond: Respond | None, *, again: str
) -> bool:
    """Open ``view``; when the trigger is gone, tell the person to ``again`` (where there is a response_url:
    a click on the App Home has none, and there the unopened form is its own answer). Other errors raise."""
    try:
        client.views_open(trigger_id=trigger_id, view=view)
        return True
    except SlackApiError as exc:
        error = exc.response.get("error")
        log.warning("views.open failed: %s", error)
        if error not in _TRIGGER_GONE:
            raise
        if respond is not None:
            respond(response_type="ephemeral", text=f"Slack took too long to open the form. Please {again}.")
        return False
