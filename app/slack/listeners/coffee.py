"""Coffee roulette: the `/mentor coffee …` sub-commands and the buttons on coffee messages."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from app.domain.errors import InvalidInput
from app.services.container import Services
from app.services.people import Person
from app.services.roulette import CoffeeStatus
from app.slack import subcommands as sc
from app.slack.blocks import coffee as blocks
from app.slack.blocks.help import COFFEE_HELP_TEXT
from app.slack.blocks.messages import help_message, plain
from app.slack.channel_sync import sync_channel
from app.slack.home import HomePublisher
from app.slack.ids import COFFEE_MET_PATTERN, Action
from app.slack.listeners.answer import answer
from app.slack.listeners.context import Ctx
from app.slack.people import PeopleDirectory

log = logging.getLogger(__name__)


def register(app: App) -> None:
    for action_id in _STATUS_BUTTONS:
        app.action(action_id)(status_button)
    app.action(COFFEE_MET_PATTERN)(met_button)


# --- sub-commands ----------------------------------------------------------------------------------


def _join(_: sc.CoffeeJoin, ctx: Ctx) -> None:
    ctx.reply(
        blocks.status(ctx.services.roulette.join(ctx.person), lead="Welcome to coffee roulette! :coffee:")
    )


def _leave(_: sc.CoffeeLeave, ctx: Ctx) -> None:
    ctx.reply(blocks.status(ctx.services.roulette.leave(ctx.person), lead="You've left coffee roulette."))


def _pause(cmd: sc.CoffeePause, ctx: Ctx) -> None:
    view = ctx.services.roulette.pause(ctx.person, duration=cmd.duration, until_date=cmd.until)
    ctx.reply(blocks.status(view, lead="Paused. Enjoy the quiet!"))


def _resume(_: sc.CoffeeResume, ctx: Ctx) -> None:
    ctx.reply(blocks.status(ctx.services.roulette.resume(ctx.person), lead="Welcome back!"))


def _status(_: sc.CoffeeStatus, ctx: Ctx) -> None:
    ctx.reply(blocks.status(ctx.services.roulette.status(ctx.person)))


def _avoid(cmd: sc.CoffeeAvoid, ctx: Ctx) -> None:
    count = ctx.services.roulette.avoid(ctx.person, cmd.user_id, remove=cmd.remove)
    done = (
        f"Okay, <@{cmd.user_id}> can be paired with you again."
        if cmd.remove
        else f"Noted: you won't be paired with <@{cmd.user_id}>."
    )
    ctx.reply(plain(f"{done} Your list has {count} person(s); only you can see it."))


def _channel(cmd: sc.CoffeeChannel, ctx: Ctx) -> None:
    ctx.services.roulette.require_admin(ctx.person)  # before any hint: a non-admin just hears "no"
    if cmd.channel_id is None:
        raise InvalidInput(
            "Pick the channel from Slack's autocomplete so it becomes a link, "
            "e.g. `/mentor coffee channel #coffee-chats`."
        )
    ctx.services.roulette.add_channel(ctx.person, cmd.channel_id, cmd.channel_name)
    count = sync_channel(ctx.client, ctx.services, cmd.channel_id)
    if count is None:
        ctx.reply(
            plain(
                f"I've noted <#{cmd.channel_id}>, but I can't read its members yet. For a private "
                "channel, invite me first (`/invite @mentorbot`); I'll try again before each round."
            )
        )
        return
    ctx.reply(
        plain(
            f"<#{cmd.channel_id}> is a coffee channel: its {count} members are in the pool unless they "
            "leave or pause. Nothing will be posted in the channel."
        )
    )


def _schedule(cmd: sc.CoffeeSchedule, ctx: Ctx) -> None:
    view = ctx.services.roulette.set_schedule(
        ctx.person, every_weeks=cmd.every_weeks, weekday=cmd.weekday, at=cmd.at, tz=cmd.tz
    )
    ctx.reply(blocks.schedule(view, ctx.person.tz, lead="Schedule saved."))


def _schedule_show(_: sc.CoffeeScheduleShow, ctx: Ctx) -> None:
    ctx.reply(blocks.schedule(ctx.services.roulette.schedule(), ctx.person.tz))


def _run(_: sc.CoffeeRun, ctx: Ctx) -> None:
    ctx.services.roulette.require_admin(ctx.person)
    for channel_id in ctx.services.roulette.channels():
        sync_channel(ctx.client, ctx.services, channel_id)
    ctx.reply(blocks.round_summary(ctx.services.roulette.run_now(ctx.person), preview=False))


def _preview(_: sc.CoffeePreview, ctx: Ctx) -> None:
    ctx.services.roulette.require_admin(ctx.person)
    ctx.reply(blocks.round_summary(ctx.services.roulette.preview(ctx.person), preview=True))


def _help(cmd: sc.CoffeeHelp, ctx: Ctx) -> None:
    ctx.reply(help_message(COFFEE_HELP_TEXT, cmd.unknown))


HANDLERS: dict[type, Callable[[Any, Ctx], None]] = {
    sc.CoffeeJoin: _join,
    sc.CoffeeLeave: _leave,
    sc.CoffeePause: _pause,
    sc.CoffeeResume: _resume,
    sc.CoffeeStatus: _status,
    sc.CoffeeAvoid: _avoid,
    sc.CoffeeChannel: _channel,
    sc.CoffeeSchedule: _schedule,
    sc.CoffeeScheduleShow: _schedule_show,
    sc.CoffeeRun: _run,
    sc.CoffeePreview: _preview,
    sc.CoffeeHelp: _help,
}


# --- buttons ---------------------------------------------------------------------------------------


def _pause_days(body: dict[str, Any]) -> timedelta:
    try:
        days = int(body["actions"][0]["value"])
    except (KeyError, ValueError):
        days = 14
    return timedelta(days=max(1, min(days, 365)))


# What each status button does, and what the person is told.
_STATUS_BUTTONS: dict[str, tuple[Callable[[Services, Person, dict[str, Any]], CoffeeStatus], str]] = {
    Action.COFFEE_JOIN: (lambda s, p, _: s.roulette.join(p), "You're in! :coffee:"),
    Action.COFFEE_LEAVE: (
        lambda s, p, _: s.roulette.leave(p),
        "You've left coffee roulette. Come back any time.",
    ),
    Action.COFFEE_RESUME: (lambda s, p, _: s.roulette.resume(p), "Welcome back!"),
    Action.COFFEE_PAUSE: (lambda s, p, b: s.roulette.pause(p, duration=_pause_days(b)), "Paused."),
}


def status_button(
    ack: Ack,
    body: dict[str, Any],
    respond: Respond,
    services: Services,
    people: PeopleDirectory,
    home: HomePublisher,
) -> None:
    """Join / Leave / Resume / Pause, on a status message, a pause notice or the App Home."""
    ack()
    change, lead = _STATUS_BUTTONS[body["actions"][0]["action_id"]]
    view = change(services, people.get(body["user"]["id"]), body)
    answer(body, respond, home, blocks.status(view, lead=lead))


def met_button(
    ack: Ack,
    body: dict[str, Any],
    respond: Respond,
    client: WebClient,
    services: Services,
    people: PeopleDirectory,
) -> None:
    ack()
    action = body["actions"][0]
    match = COFFEE_MET_PATTERN.match(action["action_id"])
    assert match is not None
    try:
        group_id = int(action["value"])
    except (KeyError, ValueError):
        raise InvalidInput("That button doesn't carry what I expected.") from None
    answer = services.roulette.answer_followup(people.get(body["user"]["id"]), group_id, match[1])
    # Only the person who clicked sees the thanks; the question stays for the others.
    respond(
        replace_original=False,
        response_type="ephemeral",
        **blocks.answer_noted(answer.answer, answer.changed).as_kwargs(),
    )
