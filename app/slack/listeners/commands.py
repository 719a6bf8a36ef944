"""/mentor: ack at once, parse, call one service, render.

Fast answers (help, a typo) go back in the ack itself; anything that touches the database or Slack
acks first and answers through ``respond()`` (the command's response_url), well within Slack's
3-second limit.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from app.config import Settings
from app.domain.errors import InvalidInput
from app.services.container import Services
from app.services.people import Person
from app.slack import command_text as ct
from app.slack import subcommands as sc
from app.slack.blocks import messages
from app.slack.blocks.help import HELP_TEXT
from app.slack.blocks.modals import profile_modal
from app.slack.ids import COMMAND
from app.slack.listeners import coffee, insight
from app.slack.listeners.context import Ctx
from app.slack.mrkdwn import escape
from app.slack.people import PeopleDirectory

log = logging.getLogger(__name__)


def register(app: App) -> None:
    app.command(COMMAND)(handle_mentor)


def handle_mentor(
    ack: Ack,
    command: dict[str, Any],
    respond: Respond,
    client: WebClient,
    services: Services,
    people: PeopleDirectory,
    settings: Settings,
) -> None:
    try:
        parsed = ct.parse(command.get("text", ""))
    except InvalidInput as exc:
        # The message may quote what was typed (a bad topic, an unknown word): shown as text, not markup.
        ack(response_type="ephemeral", text=escape(exc.message))
        return
    if isinstance(parsed, sc.Help):
        ack(response_type="ephemeral", **messages.help_message(HELP_TEXT).as_kwargs())
        return
    if isinstance(parsed, sc.Unknown):
        ack(
            response_type="ephemeral",
            **messages.help_message(HELP_TEXT, parsed.word).as_kwargs(),
        )
        return
    handler = HANDLERS[type(parsed)]  # every sub-command has one (tests/slack/test_subcommands.py)
    ack()
    person = people.get(command["user_id"])
    handler(parsed, Ctx(person, respond, client, services, command, settings))


def _ask(cmd: sc.Ask, ctx: Ctx) -> None:
    outcome = ctx.services.mentoring.ask(ctx.person, cmd.goal, cmd.topics)
    ctx.reply(messages.ask_offers(outcome))


def _join(cmd: sc.Join, ctx: Ctx) -> None:
    if not cmd.topics:
        _profile(sc.Profile(), ctx)
        return
    view, created = ctx.services.register.join(ctx.person, cmd.topics)
    lead = (
        "Welcome to the mentor register! :tada: People can now ask you for 15-minute conversations."
        if created
        else "Your topics are updated."
    )
    ctx.reply(messages.profile_summary(view, lead=lead))


def _profile(_: sc.Profile, ctx: Ctx) -> None:
    open_profile_modal(
        ctx.client,
        ctx.services,
        ctx.person,
        ctx.command["trigger_id"],
        ctx.respond,
        response_url=ctx.command.get("response_url", ""),
    )


def _available(cmd: sc.SetAvailable, ctx: Ctx) -> None:
    view = ctx.services.register.set_available(ctx.person, cmd.available)
    lead = (
        "You're available for new requests again."
        if cmd.available
        else "You won't be offered for new requests. Your booked conversations stay as they are."
    )
    ctx.reply(messages.profile_summary(view, lead=lead))


def _away(cmd: sc.Away, ctx: Ctx) -> None:
    view = ctx.services.register.set_away(ctx.person, duration=cmd.duration, until_date=cmd.until)
    back = cmd.duration is None and cmd.until is None
    lead = (
        "Welcome back! You're offered for new requests again."
        if back
        else "Enjoy the break. You won't be offered for new requests until you're back; booked "
        "conversations stay."
    )
    ctx.reply(messages.profile_summary(view, lead=lead))


def _leave(_: sc.Leave, ctx: Ctx) -> None:
    preview = ctx.services.register.leave_preview(ctx.person)
    ctx.reply(messages.leave_preview(preview, ctx.person.tz))


def _list(_: sc.ListMine, ctx: Ctx) -> None:
    ctx.reply(messages.my_conversations(ctx.services.mentoring.my_conversations(ctx.person)))


HANDLERS: dict[type, Callable[[Any, Ctx], None]] = {
    sc.Ask: _ask,
    sc.Join: _join,
    sc.Profile: _profile,
    sc.SetAvailable: _available,
    sc.Away: _away,
    sc.Leave: _leave,
    sc.ListMine: _list,
    **coffee.HANDLERS,
    **insight.HANDLERS,
}


def open_profile_modal(
    client: WebClient,
    services: Services,
    person: Person,
    trigger_id: str,
    respond: Respond,
    *,
    response_url: str,
) -> None:
    """Open the profile modal; an expired trigger (Slack gives 3 seconds) gets a friendly retry hint."""
    view = services.register.profile(person)
    modal = profile_modal(view, tz=person.tz)
    modal["private_metadata"] = response_url  # where to confirm the saved profile
    try:
        client.views_open(trigger_id=trigger_id, view=modal)
    except SlackApiError as exc:
        error = exc.response.get("error")
        log.warning("views.open failed: %s", error)
        if error in ("expired_trigger_id", "invalid_trigger_id", "exchanged_trigger_id"):
            respond(
                response_type="ephemeral",
                text="Slack took too long to open the form. Please run `/mentor profile` again.",
            )
        else:
            raise
