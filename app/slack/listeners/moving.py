"""Moving a hosted session: the host's Move button opens a form with the new date and start (in their
zone); its submission makes one service call, and its refusals show on the form's fields."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from app.domain.errors import DomainError
from app.domain.formats import PlanError
from app.services.container import Services
from app.slack.blocks import hosting as blocks
from app.slack.blocks.format import zone
from app.slack.ids import Action, Block, Field, View
from app.slack.listeners.answer import from_home
from app.slack.listeners.modal import form_ref, open_modal
from app.slack.listeners.views import confirm_privately
from app.slack.payloads import SessionRef
from app.slack.people import PeopleDirectory


def register(app: App) -> None:
    app.action(Action.MOVE_SESSION)(open_move)
    app.view(View.MOVE)(save_move)


def open_move(
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    respond: Respond,
    services: Services,
    people: PeopleDirectory,
) -> None:
    ack()
    ref = SessionRef.decode(str((body.get("actions") or [{}])[0].get("value") or ""))
    person = people.get(body["user"]["id"])
    view = services.hosting.movable(person, ref.session_id)  # refuses someone else, a cancelled one, …
    answer = None if from_home(body) else respond
    open_modal(
        client, body["trigger_id"], blocks.move_modal(view, person.tz), answer, again="click Move again"
    )


def read_start(values: dict[str, Any], tz: str) -> tuple[datetime | None, dict[str, str]]:
    day_state = values.get(Block.SESSION_DATE, {}).get(Field.SESSION_DATE, {}) or {}
    time_state = values.get(Block.SESSION_TIME, {}).get(Field.SESSION_TIME, {}) or {}
    try:
        day = date.fromisoformat(str(day_state.get("selected_date")))
    except ValueError:
        return None, {Block.SESSION_DATE: "Pick a date."}
    try:
        at = time.fromisoformat(str(time_state.get("selected_time")))
    except ValueError:
        return None, {Block.SESSION_TIME: "Pick a start time."}
    return datetime.combine(day, at, tzinfo=zone(tz)), {}


def save_move(
    ack: Ack,
    body: dict[str, Any],
    view: dict[str, Any],
    client: WebClient,
    services: Services,
    people: PeopleDirectory,
) -> None:
    person = people.get(body["user"]["id"])
    ref = form_ref(view, SessionRef.decode, ack, field=Block.SESSION_DATE, again="close it")
    if ref is None:
        return
    start, errors = read_start(view["state"]["values"], person.tz)
    if start is None:
        ack(response_action="errors", errors=errors)
        return
    try:
        moved = services.hosting.move(person, ref.session_id, start)
    except PlanError as exc:
        ack(response_action="errors", errors={Block.SESSION_DATE: exc.message})
        return
    except DomainError as exc:  # not the host, cancelled, started, the same time
        ack(response_action="errors", errors={Block.SESSION_DATE: exc.message})
        return
    ack()
    confirm_privately(client, person.user_id, None, blocks.moved(moved, person.tz))
