"""Coffee roulette: the `/mentor coffee …` sub-commands and the buttons on coffee messages."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, TypeAlias, assert_never

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from app.domain.errors import InvalidInput
from app.services.coffee import DEFAULT_POOL, CoffeeStatus, PoolChoice
from app.services.container import Services
from app.services.people import Person
from app.slack import subcommands as sc
from app.slack.blocks import coffee as blocks
from app.slack.blocks.format import local_time
from app.slack.blocks.help import COFFEE_HELP_TEXT
from app.slack.blocks.messages import Message, help_message, plain
from app.slack.channel_sync import SlackChannelMembers
from app.slack.home import HomePublisher
from app.slack.ids import COFFEE_MET_PATTERN, Action
from app.slack.listeners.answer import answer
from app.slack.payloads import CoffeeGroupRef, PauseDays, RoundRef
from app.slack.people import PeopleDirectory

log = logging.getLogger(__name__)


def register(app: App) -> None:
    for action_id in _STATUS_BUTTONS:
        app.action(action_id)(status_button)
    app.action(COFFEE_MET_PATTERN)(met_button)
    app.action(Action.COFFEE_SKIP)(skip_button)


# --- sub-commands ----------------------------------------------------------------------------------

CoffeeCommand: TypeAlias = (
    sc.CoffeeHelp
    | sc.CoffeeJoin
    | sc.CoffeeLeave
    | sc.CoffeePause
    | sc.CoffeeResume
    | sc.CoffeeStatus
    | sc.CoffeeChannel
    | sc.CoffeeAvoid
    | sc.CoffeeSchedule
    | sc.CoffeeScheduleShow
    | sc.CoffeeRun
    | sc.CoffeePreview
    | sc.CoffeePools
)


def serve(cmd: CoffeeCommand, person: Person, services: Services, client: WebClient) -> Message:
    """Serve one `/mentor coffee …` sub-command with one service call."""
    roulette = services.roulette
    match cmd:
        case sc.CoffeeJoin():
            joined = roulette.join(person)
            if isinstance(joined, PoolChoice):
                return blocks.pool_choice(joined)
            return blocks.status(joined, lead="Welcome to coffee roulette! :coffee:")
        case sc.CoffeePools():
            return blocks.pools_list(roulette.list_pools(), person.tz)
        case sc.CoffeeLeave():
            return blocks.status(roulette.leave(person), lead="You've left coffee roulette.")
        case sc.CoffeePause(duration=duration, until=until):
            paused = roulette.pause(person, duration=duration, until_date=until)
            return blocks.status(paused, lead="Paused. Enjoy the quiet!")
        case sc.CoffeeResume():
            return blocks.status(roulette.resume(person), lead="Welcome back!")
        case sc.CoffeeStatus():
            return blocks.status(roulette.status(person))
        case sc.CoffeeAvoid(user_id=user_id, remove=remove):
            return blocks.avoid_noted(user_id, remove, roulette.avoid(person, user_id, remove=remove))
        case sc.CoffeeChannel(channel_id=str(channel_id), channel_name=name):
            count = roulette.add_channel_and_sync(person, channel_id, name, _reader(client))
            return blocks.channel_added(channel_id, count)
        case sc.CoffeeChannel():  # a name Slack didn't turn into a link
            roulette.require_admin(person)  # before any hint: a non-admin just hears "no"
            raise InvalidInput(
                "Pick the channel from Slack's autocomplete so it becomes a link, "
                "e.g. `/mentor coffee channel #coffee-chats`."
            )
        case sc.CoffeeSchedule(every_weeks=every_weeks, weekday=weekday, at=at, tz=tz, pool=pool):
            saved = roulette.set_schedule(
                person, every_weeks=every_weeks, weekday=weekday, at=at, tz=tz, pool=pool
            )
            return blocks.schedule(saved, person.tz, lead="Schedule saved.", pool=pool)
        case sc.CoffeeScheduleShow(pool=pool):
            return blocks.schedule(roulette.schedule(pool), person.tz, pool=pool)
        case sc.CoffeeRun(pool=pool):
            summary = roulette.sync_channels_and_run_now(person, _reader(client), pool)
            return blocks.round_summary(summary, preview=False)
        case sc.CoffeePreview(pool=pool):
            return blocks.round_summary(roulette.preview(person, pool), preview=True)
        case sc.CoffeeHelp(unknown=unknown):
            return help_message(COFFEE_HELP_TEXT, unknown)
        case _:
            assert_never(cmd)


def _reader(client: WebClient) -> Callable[[str], list[Person] | None]:
    return SlackChannelMembers(client).humans_in


# --- buttons ---------------------------------------------------------------------------------------

_STATUS_BUTTONS = (Action.COFFEE_JOIN, Action.COFFEE_LEAVE, Action.COFFEE_RESUME, Action.COFFEE_PAUSE)


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
    action = body["actions"][0]
    person = people.get(body["user"]["id"])
    roulette = services.roulette
    # Values: "join"/"leave"/"resume" or "14" (the pool "coffee"), "pool:<name>", "<days>@pool:<name>".
    value = str(action.get("value", ""))
    days_text, _, named = value.rpartition("@") if "@" in value else ("", "", value)
    pool = named.removeprefix("pool:") if named.startswith("pool:") else DEFAULT_POOL
    view: CoffeeStatus | PoolChoice
    match action["action_id"]:
        case Action.COFFEE_JOIN:
            view, lead = roulette.join(person, pool), "You're in! :coffee:"
        case Action.COFFEE_LEAVE:
            view, lead = roulette.leave(person, pool), "You've left coffee roulette. Come back any time."
        case Action.COFFEE_RESUME:
            view, lead = roulette.resume(person, pool), "Welcome back!"
        case _:  # Action.COFFEE_PAUSE, the only other id this listener is registered for
            # The heads-up's Pause names its pool (2 weeks); "Ask me later" its days and pool.
            days = PauseDays.decode(days_text or ("14" if named.startswith("pool:") else value)).days
            view, lead = roulette.pause(person, duration=timedelta(days=days), pool=pool), "Paused."
    message = blocks.pool_choice(view) if isinstance(view, PoolChoice) else blocks.status(view, lead=lead)
    answer(body, respond, home, message)


def skip_button(
    ack: Ack,
    body: dict[str, Any],
    respond: Respond,
    services: Services,
    people: PeopleDirectory,
    home: HomePublisher,
) -> None:
    """ "Skip this round" on a heads-up: this round only; a second click says so."""
    ack()
    ref = RoundRef.decode(str(body["actions"][0].get("value", "")))
    person = people.get(body["user"]["id"])
    round_at = datetime.fromtimestamp(ref.at, UTC)
    first = services.roulette.skip(person, ref.pool_id, round_at)
    lead = "Skipped" if first else "Already skipped"
    text = f"{lead}: you'll sit out the round of {local_time(round_at, person.tz)}. See you the round after!"
    answer(body, respond, home, plain(text))


def met_button(
    ack: Ack,
    body: dict[str, Any],
    respond: Respond,
    services: Services,
    people: PeopleDirectory,
) -> None:
    ack()
    action = body["actions"][0]
    match = COFFEE_MET_PATTERN.match(action["action_id"])
    assert match is not None  # the listener's own pattern
    group = CoffeeGroupRef.decode(str(action.get("value", "")))
    noted = services.roulette.answer_followup(people.get(body["user"]["id"]), group.group_id, match[1])
    # Only the person who clicked sees the thanks; the question stays for the others.
    respond(
        replace_original=False,
        response_type="ephemeral",
        **blocks.answer_noted(noted.answer, noted.changed).as_kwargs(),
    )
