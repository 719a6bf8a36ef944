"""After a program session: the rating buttons (it happened), "It didn't happen", and the private note
(a modal; the note is echoed to its author only). Each acks, reads, makes one service call."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from app.domain.errors import DomainError
from app.services.container import Services
from app.slack.blocks import program_forms as forms
from app.slack.ids import PROGRAM_RATE_PATTERN, Action, View
from app.slack.ids import ProgramField as F
from app.slack.listeners.modal import form_ref, open_modal
from app.slack.payloads import BadPayload, ProgramSlotRef
from app.slack.people import PeopleDirectory


def register(app: App) -> None:
    app.action(PROGRAM_RATE_PATTERN)(rate_click)
    app.action(Action.PROGRAM_NOT_HELD)(not_held_click)
    app.action(Action.PROGRAM_NOTE)(open_note)
    app.view(View.PROGRAM_NOTE)(save_note)


def _ref(body: dict[str, Any]) -> ProgramSlotRef:
    ref = ProgramSlotRef.decode(str((body.get("actions") or [{}])[0].get("value") or ""))
    if ref.index is not None:
        raise BadPayload
    return ref


def rate_click(
    ack: Ack, body: dict[str, Any], respond: Respond, services: Services, people: PeopleDirectory
) -> None:
    ack()
    ref = _ref(body)
    match = re.match(PROGRAM_RATE_PATTERN, str(body["actions"][0].get("action_id") or ""))
    assert match is not None  # the listener matched it
    rating = int(match.group(1))
    services.programs.answer_session(people.get(body["user"]["id"]), ref.session_id, True, rating)
    respond(response_type="ephemeral", replace_original=False, text=f"Thanks: you rated it {rating} of 5.")


def not_held_click(
    ack: Ack, body: dict[str, Any], respond: Respond, services: Services, people: PeopleDirectory
) -> None:
    ack()
    ref = _ref(body)
    services.programs.answer_session(people.get(body["user"]["id"]), ref.session_id, False, None)
    respond(
        response_type="ephemeral",
        replace_original=False,
        text="Thanks for saying so. The next session is proposed on time anyway.",
    )


def open_note(
    ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond, services: Services
) -> None:
    ack()
    ref = _ref(body)
    open_modal(
        client, body["trigger_id"], forms.session_note_modal(ref.encode()), respond, again="click again"
    )


def save_note(
    ack: Ack,
    body: dict[str, Any],
    view: dict[str, Any],
    client: WebClient,
    services: Services,
    people: PeopleDirectory,
) -> None:
    person = people.get(body["user"]["id"])
    ref = form_ref(view, ProgramSlotRef.decode, ack, field=F.NOTE, again="click the button again")
    if ref is None:
        return
    values = view.get("state", {}).get("values", {}) or {}
    text = str((values.get(F.NOTE, {}).get(F.NOTE, {}) or {}).get("value") or "")
    try:
        services.programs.note_session(person, ref.session_id, text)
    except DomainError as exc:
        ack(response_action="errors", errors={F.NOTE: exc.message})
        return
    ack()
    client.chat_postMessage(channel=person.user_id, text="Your private note is kept; only you read it.")
