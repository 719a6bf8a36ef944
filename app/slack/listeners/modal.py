"""Modals: opening one from a click or a command (Slack's trigger_id lives 3 seconds and works once), and
reading back the typed reference a form carries in its ``private_metadata``."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from slack_bolt import Ack, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from app.slack.payloads import BadPayload

log = logging.getLogger(__name__)

Ref = TypeVar("Ref")

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


def form_ref(
    view: dict[str, Any], decode: Callable[[str], Ref], ack: Ack, *, field: str, again: str
) -> Ref | None:
    """The reference ``view`` was opened for (``SomeRef.decode``), or None once the person has been told,
    beside ``field``, that the form is out of date and to ``again``: a form from an older version of
    the bot, or one whose metadata was tampered with, changes nothing."""
    try:
        return decode(view.get("private_metadata") or "")
    except BadPayload:
        ack(response_action="errors", errors={field: f"This form is out of date: {again}."})
        return None
