"""The after-session questions' buttons: ack, read which answer, one service call, replace the message
with what's noted (a second click on an answered question says so and changes nothing)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond

from app.services.container import Services
from app.slack.blocks import session_feedback as blocks
from app.slack.ids import SESSION_ANSWER_PATTERN
from app.slack.payloads import SessionRef
from app.slack.people import PeopleDirectory


def register(app: App) -> None:
    app.action(SESSION_ANSWER_PATTERN)(answer)


def answer(
    ack: Ack, body: dict[str, Any], respond: Respond, services: Services, people: PeopleDirectory
) -> None:
    ack()
    action = (body.get("actions") or [{}])[0]
    match = SESSION_ANSWER_PATTERN.match(str(action.get("action_id") or ""))
    assert match is not None  # the listener's own pattern
    ref = SessionRef.decode(str(action.get("value") or ""))
    kind, _, choice = match[1].rpartition("_")
    person = people.get(body["user"]["id"])
    feedback = services.session_feedback
    if kind == "attended":
        answers = feedback.answer(person, ref.session_id, attended=choice == "yes")
    elif kind == "rating":
        answers = feedback.answer(person, ref.session_id, rating=int(choice))
    else:
        answers = feedback.answer(person, ref.session_id, got_it=choice)
    respond(replace_original=True, **blocks.thanks(answers).as_kwargs())
