"""A booked program session: Move (a form of fresh times), Skip (one click, Slack asks first), and the
mentor's "Set the agenda" (a short form). Each acks, reads, makes one service call; refusals (someone
else, too late, done already) come back as a kind ephemeral word or on the form's field."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from app.domain.errors import DomainError
from app.services.container import Services
from app.slack.blocks import program_changes as blocks
from app.slack.blocks.format import local_time
from app.slack.blocks.messages import Message
from app.slack.ids import Action, View
from app.slack.ids import ProgramField as F
from app.slack.listeners.modal import form_ref, open_modal
from app.slack.listeners.views import confirm_privately
from app.slack.payloads import BadPayload, ProgramMoveRef, ProgramSlotRef
from app.slack.people import PeopleDirectory


def register(app: App) -> None:
    app.action(Action.PROGRAM_MOVE)(open_move)
    app.view(View.PROGRAM_MOVE)(save_move)
    app.action(Action.PROGRAM_SKIP)(skip_click)
    app.action(Action.PROGRAM_AGENDA)(open_agenda)
    app.view(View.PROGRAM_AGENDA)(save_agenda)


def _said(text: str) -> Message:
    return Message(text=text, blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": text}}])


def _ref(body: dict[str, Any]) -> ProgramSlotRef:
    ref = ProgramSlotRef.decode(str((body.get("actions") or [{}])[0].get("value") or ""))
    if ref.index is not None:
        raise BadPayload
    return ref


def open_move(
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    respond: Respond,
    services: Services,
    people: PeopleDirectory,
) -> None:
    ack()
    person = people.get(body["user"]["id"])
    form = services.programs.move_form(person, _ref(body).session_id)  # refuses late or wrong clicks
    open_modal(
        client, body["trigger_id"], blocks.move_modal(form, person.tz), respond, again="click Move again"
    )


def save_move(
    ack: Ack,
    body: dict[str, Any],
    view: dict[str, Any],
    client: WebClient,
    services: Services,
    people: PeopleDirectory,
) -> None:
    person = people.get(body["user"]["id"])
    ref = form_ref(view, ProgramMoveRef.decode, ack, field=F.MOVE_TO, again="close it")
    if ref is None:
        return
    values = view.get("state", {}).get("values", {}) or {}
    chosen = (values.get(F.MOVE_TO, {}).get(F.MOVE_TO, {}) or {}).get("selected_option") or {}
    raw = str(chosen.get("value") or "")
    if not raw.isascii() or not raw.isdigit() or len(raw) > 11:
        ack(response_action="errors", errors={F.MOVE_TO: "Pick one of the times."})
        return
    start = datetime.fromtimestamp(int(raw), tz=UTC)
    try:
        moved = services.programs.move_session(person, ref.session_id, start, ref.moves)
    except DomainError as exc:  # passed, outside the hours now, moved meanwhile, skipped, ended
        ack(response_action="errors", errors={F.MOVE_TO: exc.message})
        return
    ack()
    text = f"Moved to {local_time(moved, person.tz)}. You'll both get the new time and calendar file."
    confirm_privately(client, person.user_id, None, _said(text))


def skip_click(
    ack: Ack, body: dict[str, Any], respond: Respond, services: Services, people: PeopleDirectory
) -> None:
    ack()
    done = services.programs.skip_session(people.get(body["user"]["id"]), _ref(body).session_id)
    then = "That was the last one." if done.next_at is None else "The next one is still proposed on time."
    respond(
        response_type="ephemeral",
        replace_original=False,
        text=f"Session {done.number} is skipped; you're both told. {then}",
    )


def open_agenda(
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    respond: Respond,
    services: Services,
    people: PeopleDirectory,
) -> None:
    ack()
    form = services.programs.agenda_form(people.get(body["user"]["id"]), _ref(body).session_id)
    open_modal(client, body["trigger_id"], blocks.agenda_modal(form), respond, again="click the button again")


def save_agenda(
    ack: Ack,
    body: dict[str, Any],
    view: dict[str, Any],
    client: WebClient,
    services: Services,
    people: PeopleDirectory,
) -> None:
    person = people.get(body["user"]["id"])
    ref = form_ref(view, ProgramSlotRef.decode, ack, field=F.AGENDA, again="click the button again")
    if ref is None:
        return
    values = view.get("state", {}).get("values", {}) or {}
    text = str((values.get(F.AGENDA, {}).get(F.AGENDA, {}) or {}).get("value") or "")
    try:
        changed = services.programs.set_agenda(person, ref.session_id, text)
    except DomainError as exc:  # empty, too long, started, skipped, ended, changed meanwhile
        ack(response_action="errors", errors={F.AGENDA: exc.message})
        return
    ack()
    said = (
        "The agenda is set: your mentee sees it."
        if changed
        else "That's the agenda already: nothing changed."
    )
    confirm_privately(client, person.user_id, None, _said(said))
