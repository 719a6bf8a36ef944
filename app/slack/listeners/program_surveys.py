"""A coach's "Ask them from me" on a check-in prompt; the end-of-wave survey: its button opens the
modal (a second or late click is refused kindly), the submission is saved once, and a "yes" to the
alumni group is invited to the admin's channel (or, when the bot may not invite, told the channel)."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from app.domain.errors import DomainError
from app.domain.program_survey import EFFECTIVE, EXPERIENCE, GOAL, YES_NO, SurveyAnswer
from app.services.container import Services
from app.slack.blocks import program_coaching as blocks
from app.slack.ids import Action, View
from app.slack.ids import ProgramField as F
from app.slack.listeners.modal import form_ref, open_modal
from app.slack.mrkdwn import escape
from app.slack.payloads import CoachNudgeRef, WaveRef
from app.slack.people import PeopleDirectory

log = logging.getLogger(__name__)

_QUESTIONS = (
    (F.SURVEY_GOAL, GOAL),
    (F.SURVEY_EXPERIENCE, EXPERIENCE),
    (F.SURVEY_BUSINESS, EFFECTIVE),
    (F.SURVEY_PERSONAL, EFFECTIVE),
    (F.SURVEY_BRAND, YES_NO),
    (F.SURVEY_ALUMNI, YES_NO),
)


def register(app: App) -> None:
    app.action(Action.PROGRAM_SURVEY)(open_survey)
    app.view(View.PROGRAM_SURVEY)(save_survey)
    app.action(Action.PROGRAM_COACH_NUDGE)(coach_nudge)


def coach_nudge(
    ack: Ack, body: dict[str, Any], respond: Respond, services: Services, people: PeopleDirectory
) -> None:
    """A coach's "Ask them from me" on a check-in prompt: the mentor hears from them, once."""
    ack()
    ref = CoachNudgeRef.decode(str((body.get("actions") or [{}])[0].get("value") or ""))
    mentor = services.programs.coach_nudge(people.get(body["user"]["id"]), ref.pair_id, ref.k)
    respond(
        response_type="ephemeral",
        replace_original=False,
        text=f"Sent: <@{mentor}> hears from you that you're checking in.",
    )


def open_survey(
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    respond: Respond,
    services: Services,
    people: PeopleDirectory,
) -> None:
    ack()
    ref = WaveRef.decode(str((body.get("actions") or [{}])[0].get("value") or ""))
    person = people.get(body["user"]["id"])
    program = services.programs.survey_form(person, ref.wave_id)  # refuses a second or late answer
    modal = blocks.survey_modal(program, ref.encode())
    open_modal(client, body["trigger_id"], modal, respond, again="click Answer the survey again")


def _chosen(values: dict[str, Any], field: F) -> str:
    return str(((values.get(field, {}).get(field, {}) or {}).get("selected_option") or {}).get("value") or "")


def save_survey(
    ack: Ack,
    body: dict[str, Any],
    view: dict[str, Any],
    client: WebClient,
    services: Services,
    people: PeopleDirectory,
) -> None:
    person = people.get(body["user"]["id"])
    ref = form_ref(view, WaveRef.decode, ack, field=F.SURVEY_GOAL, again="click the button again")
    if ref is None:
        return
    values = view.get("state", {}).get("values", {}) or {}
    chosen = {field: _chosen(values, field) for field, _ in _QUESTIONS}
    errors: dict[str, str] = {
        field: "Pick one." for field, allowed in _QUESTIONS if chosen[field] not in allowed
    }
    if errors:
        ack(response_action="errors", errors=errors)
        return
    given = SurveyAnswer(
        goal=chosen[F.SURVEY_GOAL],
        experience=chosen[F.SURVEY_EXPERIENCE],
        business=chosen[F.SURVEY_BUSINESS],
        personal=chosen[F.SURVEY_PERSONAL],
        brand=chosen[F.SURVEY_BRAND] == "yes",
        alumni=chosen[F.SURVEY_ALUMNI] == "yes",
    )
    try:
        answered = services.programs.answer_survey(person, ref.wave_id, given)
    except DomainError as exc:  # answered already (another tab), or closed
        ack(response_action="errors", errors={F.SURVEY_GOAL: exc.message[:150]})
        return
    ack()
    text = f"Thank you: your answers for *{escape(answered.program)}* are in."
    if answered.alumni_channel:
        text += " " + _alumni(client, answered.alumni_channel, person.user_id)
    elif given.alumni:
        text += " The alumni group has no channel yet: the admin will tell you when it opens."
    client.chat_postMessage(channel=person.user_id, text=text)


def _alumni(client: WebClient, channel: str, user_id: str) -> str:
    try:
        client.conversations_invite(channel=channel, users=user_id)
    except SlackApiError as exc:
        error = exc.response.get("error")
        if error == "already_in_channel":
            return f"You're already in the alumni group, <#{channel}>."
        # missing_scope (the operator didn't add channels:manage), not_in_channel, is_archived …
        log.info("alumni invitation not made: %s", error)
        return f"Join the alumni group in <#{channel}> whenever you like."
    return f"You're invited to the alumni group: <#{channel}>."
