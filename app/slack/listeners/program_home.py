"""Apply from the App Home: the same application modal as the invitation's Apply. A click on the Home
has no response_url, so a refusal (applied already, the program started) opens a small modal saying so."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from app.domain.errors import DomainError
from app.services.container import Services
from app.slack.blocks import program_forms as forms
from app.slack.ids import Action
from app.slack.listeners.modal import open_modal
from app.slack.mrkdwn import escape
from app.slack.payloads import WaveRef
from app.slack.people import PeopleDirectory


def register(app: App) -> None:
    app.action(Action.PROGRAM_HOME_APPLY)(apply_from_home)


def said_modal(text: str) -> dict[str, Any]:
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Programs"},
        "close": {"type": "plain_text", "text": "OK"},
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": escape(text)}}],
    }


def apply_from_home(
    ack: Ack, body: dict[str, Any], client: WebClient, services: Services, people: PeopleDirectory
) -> None:
    ack()
    ref = WaveRef.decode(str((body.get("actions") or [{}])[0].get("value") or ""))
    person = people.get(body["user"]["id"])
    try:
        form = services.programs.application_form(person, ref.wave_id)
    except DomainError as exc:
        open_modal(client, body["trigger_id"], said_modal(exc.message), None, again="click Apply again")
        return
    modal = forms.application_modal(form, ref.encode())
    open_modal(client, body["trigger_id"], modal, None, again="click Apply again")
