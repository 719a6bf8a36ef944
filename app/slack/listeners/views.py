"""Modal submissions: validate in the ack (Slack shows errors beside the fields), then save."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from app.domain.errors import InvalidInput
from app.domain.formats import validate_link
from app.domain.goal import validate_goal
from app.domain.model import WeeklyWindow
from app.domain.windows import parse_windows
from app.services.container import Services
from app.services.feedback import MAX_NOTE
from app.services.register import MAX_BIO, ProfileInput
from app.slack.blocks import messages
from app.slack.blocks.modals import LEVELS, LUNCH_ASK, MAX_TEAM, REVERSE_ASK, REVERSE_VALUE
from app.slack.blocks.register import profile_saved
from app.slack.ids import Block, Field, View
from app.slack.mrkdwn import escape
from app.slack.payloads import AskForm, BadPayload, NoteForm, ProfileForm
from app.slack.people import PeopleDirectory
from app.slack.topics import parse_topics

log = logging.getLogger(__name__)


def register(app: App) -> None:
    app.view(View.PROFILE)(save_profile)
    app.view(View.FEEDBACK_NOTE)(save_note)
    app.view(View.ASK)(ask_from_home)


def _value(values: dict[str, Any], block: Block, field: Field) -> dict[str, Any]:
    return values.get(block, {}).get(field, {}) or {}


def read_team_and_level(values: dict[str, Any], errors: dict[str, str]) -> tuple[str | None, int | None]:
    """The team and level fields (``team_and_level_inputs``); a problem goes into ``errors``."""
    team = (_value(values, Block.TEAM, Field.TEAM).get("value") or "").strip()
    if len(team) > MAX_TEAM:  # Slack enforces max_length, but a crafted payload may not
        errors[Block.TEAM] = f"Keep the team name to {MAX_TEAM} characters (it has {len(team)})."
    level_option = _value(values, Block.LEVEL, Field.LEVEL).get("selected_option")
    level = str((level_option or {}).get("value") or "")
    if level and level not in {str(k) for k in LEVELS}:  # only the modal's own options
        errors[Block.LEVEL] = "Pick one of the levels in the list."
        level = ""
    return team or None, int(level) if level else None


def read_profile_form(values: dict[str, Any]) -> tuple[ProfileInput | None, dict[str, str]]:
    """The modal's state as a ProfileInput, or per-block error messages."""
    errors: dict[str, str] = {}
    topics: tuple[str, ...] = ()
    try:
        topics = parse_topics(_value(values, Block.TOPICS, Field.TOPICS).get("value") or "")
        if not topics:
            errors[Block.TOPICS] = "Add at least one topic, e.g. python, career."
    except InvalidInput as exc:
        errors[Block.TOPICS] = exc.message
    windows: tuple[WeeklyWindow, ...] = ()
    try:
        windows = parse_windows(_value(values, Block.WINDOWS, Field.WINDOWS).get("value") or "")
    except InvalidInput as exc:
        errors[Block.WINDOWS] = exc.message
    capacity = 0
    try:
        capacity = int(_value(values, Block.CAPACITY, Field.CAPACITY).get("value") or "")
        if not 0 <= capacity <= 20:
            raise ValueError
    except ValueError:
        errors[Block.CAPACITY] = "A whole number from 0 to 20."
    bio = (_value(values, Block.BIO, Field.BIO).get("value") or "").strip()
    if len(bio) > MAX_BIO:  # Slack enforces max_length, but a crafted payload may not
        errors[Block.BIO] = f"Keep the bio to {MAX_BIO} characters (it has {len(bio)})."
    link = (_value(values, Block.MEETING_LINK, Field.MEETING_LINK).get("value") or "").strip() or None
    if link is not None:
        try:
            link = validate_link(link)
        except InvalidInput as exc:
            errors[Block.MEETING_LINK] = exc.message
    team, level = read_team_and_level(values, errors)
    reverse = _value(values, Block.REVERSE, Field.REVERSE).get("selected_options") or []
    if errors:
        return None, errors
    return ProfileInput(
        topics=topics,
        bio=bio,
        windows=windows,
        capacity_per_week=capacity,
        reverse_ok=any(o.get("value") == REVERSE_VALUE for o in reverse),
        team=team,
        level=level,
        meeting_link=link,
    ), {}


def save_profile(
    ack: Ack,
    body: dict[str, Any],
    view: dict[str, Any],
    client: WebClient,
    services: Services,
    people: PeopleDirectory,
) -> None:
    data, errors = read_profile_form(view["state"]["values"])
    if data is None:
        ack(response_action="errors", errors=errors)
        return
    ack()
    person = people.get(body["user"]["id"])
    saved = services.register.save_profile(person, data)
    try:
        channel_id = ProfileForm.decode(view.get("private_metadata") or "").channel_id
    except BadPayload:  # a modal opened before an upgrade, or a forged one: confirm in our DM
        channel_id = None
    confirm_privately(client, person.user_id, channel_id, profile_saved(saved))


def confirm_privately(
    client: WebClient, user_id: str, channel_id: str | None, message: messages.Message
) -> None:
    """Only the person sees it: ephemeral where they opened the form, else (or if Slack won't) our DM.

    Slack refuses an ephemeral message in a conversation the app is not in (not_in_channel,
    channel_not_found); the DM always works. A lost confirmation is logged, never an error: the
    profile is saved.
    """
    try:
        if channel_id is not None:
            try:
                client.chat_postEphemeral(channel=channel_id, user=user_id, **message.as_kwargs())
                return
            except SlackApiError as exc:
                log.info(
                    "no ephemeral confirmation in the form's conversation: %s", exc.response.get("error")
                )
        client.chat_postMessage(channel=user_id, **message.as_kwargs())  # the app's DM with the person
    except SlackApiError as exc:
        log.warning("could not confirm the saved profile: %s", exc.response.get("error"))


def save_note(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], services: Services, people: PeopleDirectory
) -> None:
    note = (_value(view["state"]["values"], Block.NOTE, Field.NOTE).get("value") or "").strip()
    if len(note) > MAX_NOTE:
        ack(response_action="errors", errors={Block.NOTE: f"Keep the note to {MAX_NOTE} characters."})
        return
    try:
        form = NoteForm.decode(view.get("private_metadata") or "")
    except BadPayload as exc:
        ack(response_action="errors", errors={Block.NOTE: exc.message})
        return
    ack()
    services.feedback.save_note(people.get(body["user"]["id"]), form.meeting_id, note)


def ask_from_home(
    ack: Ack,
    body: dict[str, Any],
    view: dict[str, Any],
    client: WebClient,
    services: Services,
    people: PeopleDirectory,
) -> None:
    """The Home's ask form: validated in the ack, then the offers arrive as a DM with slot buttons."""
    values = view["state"]["values"]
    errors: dict[str, str] = {}
    goal = ""
    try:
        goal = validate_goal(_value(values, Block.GOAL, Field.GOAL).get("value") or "")
    except InvalidInput as exc:
        errors[Block.GOAL] = exc.message
    topics: tuple[str, ...] = ()
    try:
        topics = parse_topics(_value(values, Block.ASK_TOPICS, Field.ASK_TOPICS).get("value") or "")
    except InvalidInput as exc:
        errors[Block.ASK_TOPICS] = exc.message
    kinds = {
        o.get("value") for o in _value(values, Block.ASK_KIND, Field.ASK_KIND).get("selected_options") or []
    }
    reverse, lunch = REVERSE_ASK in kinds, LUNCH_ASK in kinds
    if reverse and lunch:
        errors[Block.ASK_KIND] = "Pick one: reverse mentoring (online) or a lunch in person."
    if errors:
        ack(response_action="errors", errors=errors)
        return
    try:
        aimed = AskForm.decode(view.get("private_metadata") or "")
    except BadPayload as exc:
        ack(response_action="errors", errors={Block.GOAL: exc.message})
        return
    ack()
    person = people.get(body["user"]["id"])
    # Posting to the user's id lands in the app's DM with them, where the slot buttons work as usual; the
    # modal is closed already, so a refusal (a reverse ask without team and level) goes there too.
    try:
        outcome = services.mentoring.ask(
            person, goal, topics, mentor_id=aimed.mentor_id, reverse=reverse, lunch=lunch
        )
    except InvalidInput as exc:
        client.chat_postMessage(channel=person.user_id, **messages.plain(escape(exc.message)).as_kwargs())
        return
    client.chat_postMessage(channel=person.user_id, **messages.ask_offers(outcome).as_kwargs())
