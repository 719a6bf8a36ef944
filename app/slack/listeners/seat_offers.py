"""A seat offered from the waitlist: Take it / Pass. Each acks, makes one service call after the ack and
answers privately where the button was; a late or second click is told what happened, nothing changes."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond

from app.services.container import Services
from app.slack.after_ack import AfterAck
from app.slack.blocks import hosting as blocks
from app.slack.ids import Action
from app.slack.payloads import SessionRef
from app.slack.people import PeopleDirectory


def register(app: App) -> None:
    app.action(Action.TAKE_SEAT)(take)
    app.action(Action.PASS_SEAT)(pass_on)


def _ref(body: dict[str, Any]) -> SessionRef:
    return SessionRef.decode(str((body.get("actions") or [{}])[0].get("value") or ""))


def take(
    ack: Ack,
    body: dict[str, Any],
    respond: Respond,
    services: Services,
    people: PeopleDirectory,
    after_ack: AfterAck,
) -> None:
    ack()
    ref = _ref(body)

    def run() -> None:
        person = people.get(body["user"]["id"])
        row = services.waitlist.take(person, ref.session_id)
        answer = blocks.seat_taken(row.title, row.start_at, person.tz)
        respond(replace_original=True, **answer.as_kwargs())

    after_ack.run(run, respond=respond)


def pass_on(
    ack: Ack,
    body: dict[str, Any],
    respond: Respond,
    services: Services,
    people: PeopleDirectory,
    after_ack: AfterAck,
) -> None:
    ack()
    ref = _ref(body)

    def run() -> None:
        person = people.get(body["user"]["id"])
        view = services.hosting.pass_offer(person, ref.session_id)
        respond(replace_original=True, **blocks.seat_passed(view).as_kwargs())

    after_ack.run(run, respond=respond)
