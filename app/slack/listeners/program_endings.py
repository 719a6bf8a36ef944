"""Programs after matching: the pair's "this isn't working" button opens a private modal, its
submission ends the pairing; the admin's Re-pair button makes the re-match; the mentee's pick of a
session's time and the mentor's Confirm. Each acks, reads, makes one service call and answers
privately."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from app.domain.errors import DomainError
from app.services.container import Services
from app.slack.blocks import program_forms as forms
from app.slack.blocks.format import local_time
from app.slack.ids import PROGRAM_PICK_PATTERN, PROGRAM_REPAIR_PATTERN, Action, View
from app.slack.ids import ProgramField as F
from app.slack.listeners.modal import form_ref, open_modal
from app.slack.mrkdwn import escape
from app.slack.payloads import BadPayload, PairRef, ProgramSlotRef, RepairRef
from app.slack.people import PeopleDirectory


def register(app: App) -> None:
    app.action(Action.PROGRAM_END)(open_end_form)
    app.view(View.PROGRAM_END)(save_ending)
    app.action(PROGRAM_REPAIR_PATTERN)(repair_click)
    app.action(PROGRAM_PICK_PATTERN)(pick_click)
    app.action(Action.PROGRAM_CONFIRM)(confirm_click)


def _value(body: dict[str, Any]) -> str:
    return str((body.get("actions") or [{}])[0].get("value") or "")


def open_end_form(
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    respond: Respond,
    services: Services,
    people: PeopleDirectory,
) -> None:
    ack()
    ref = PairRef.decode(_value(body))
    person = people.get(body["user"]["id"])
    program = services.programs.end_form(person, ref.pair_id)  # refuses strangers and second endings
    modal = forms.end_pair_modal(program, ref.encode())
    open_modal(client, body["trigger_id"], modal, respond, again="click the button again")


def save_ending(
    ack: Ack,
    body: dict[str, Any],
    view: dict[str, Any],
    client: WebClient,
    services: Services,
    people: PeopleDirectory,
) -> None:
    person = people.get(body["user"]["id"])
    ref = form_ref(view, PairRef.decode, ack, field=F.END_REASON, again="click the button again")
    if ref is None:
        return
    values = view.get("state", {}).get("values", {}) or {}
    reason = str((values.get(F.END_REASON, {}).get(F.END_REASON, {}) or {}).get("value") or "")
    try:
        ended = services.programs.end_pair(person, ref.pair_id, reason)
    except DomainError as exc:
        ack(response_action="errors", errors={F.END_REASON: exc.message})
        return
    ack()
    text = (
        f"Your pairing in *{escape(ended.program)}* has ended. Thank you for giving it a go: "
        "your partner is told kindly, without any reason."
    )
    client.chat_postMessage(channel=person.user_id, text=text)


def repair_click(
    ack: Ack, body: dict[str, Any], respond: Respond, services: Services, people: PeopleDirectory
) -> None:
    ack()
    ref = RepairRef.decode(_value(body))
    person = people.get(body["user"]["id"])
    done = services.programs.repair(person, ref.pair_id, ref.for_user, ref.candidate)
    text = (
        f"Re-paired in *{escape(done.program)}*: <@{done.mentor}> mentors <@{done.mentee}>. "
        "They're introduced in a group DM."
    )
    respond(response_type="ephemeral", replace_original=False, text=text)


def pick_click(
    ack: Ack, body: dict[str, Any], respond: Respond, services: Services, people: PeopleDirectory
) -> None:
    """The mentee picks one of the three times; a late click on a session already picked is refused."""
    ack()
    ref = ProgramSlotRef.decode(_value(body))
    if ref.index is None:
        raise BadPayload
    person = people.get(body["user"]["id"])
    start = services.programs.pick_session(person, ref.session_id, ref.index)
    respond(
        response_type="ephemeral",
        replace_original=False,
        text=f"Picked {local_time(start, person.tz)}. Your mentor is asked to confirm it.",
    )


def confirm_click(
    ack: Ack, body: dict[str, Any], respond: Respond, services: Services, people: PeopleDirectory
) -> None:
    ack()
    ref = ProgramSlotRef.decode(_value(body))
    if ref.index is not None:
        raise BadPayload
    person = people.get(body["user"]["id"])
    start = services.programs.confirm_session(person, ref.session_id)
    respond(
        response_type="ephemeral",
        replace_original=False,
        text=f"Confirmed for {local_time(start, person.tz)}: it's on its way to both calendars.",
    )
