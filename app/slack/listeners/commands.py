"""/mentor: ack at once, parse, call one service, render.

Fast answers (help, a typo) go back in the ack itself; anything that touches the database or Slack
acks first and answers through ``respond()`` (the command's response_url), well within Slack's
3-second limit. The sub-commands are served by one ``match`` over the parsed type, with
``assert_never`` in the default arm, so a type checker flags a sub-command that nothing serves.
"""

from __future__ import annotations

import logging
from typing import Any, assert_never

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from app.domain.errors import InvalidInput
from app.services.container import Services
from app.services.people import Person
from app.slack import command_text as ct
from app.slack import subcommands as sc
from app.slack.blocks import directory, hosting, messages
from app.slack.blocks import register as register_blocks
from app.slack.blocks.help import HELP_TEXT
from app.slack.blocks.messages import Message
from app.slack.blocks.modals import profile_modal
from app.slack.blocks.offices import offices_message
from app.slack.ids import COMMAND
from app.slack.listeners import coffee, insight
from app.slack.listeners.about import open_about_modal
from app.slack.listeners.coffee_pools import open_pool_modal
from app.slack.listeners.hosting import open_host_modal
from app.slack.listeners.modal import open_modal
from app.slack.listeners.programs import serve_program
from app.slack.mrkdwn import escape
from app.slack.payloads import ProfileForm
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
) -> None:
    try:
        parsed = ct.parse(command.get("text", ""))
    except InvalidInput as exc:
        # The message may quote what was typed (a bad topic, an unknown word): shown as text, not markup.
        ack(response_type="ephemeral", text=escape(exc.message))
        return
    if isinstance(parsed, sc.Help | sc.Unknown):  # no database, no Slack: answered in the ack itself
        ack(response_type="ephemeral", **_help(parsed).as_kwargs())
        return
    ack()
    person = people.get(command["user_id"])
    reply = serve(parsed, person, services, client, command, respond)
    if reply is not None:
        respond(response_type="ephemeral", **reply.as_kwargs())


def _help(cmd: sc.Help | sc.Unknown) -> Message:
    return messages.help_message(HELP_TEXT, cmd.word if isinstance(cmd, sc.Unknown) else None)


def serve(
    cmd: sc.Command,
    person: Person,
    services: Services,
    client: WebClient,
    command: dict[str, Any],
    respond: Respond,
) -> Message | None:
    """Serve one sub-command: one service call, rendered; None when the answer went elsewhere (a modal)."""
    match cmd:
        case sc.Help() | sc.Unknown():
            return _help(cmd)
        case sc.Ask(goal=goal, topics=topics, reverse=reverse, lunch=lunch):
            return messages.ask_offers(
                services.mentoring.ask(person, goal, topics, reverse=reverse, lunch=lunch)
            )
        case sc.Join(topics=()) | sc.Profile():
            open_profile_modal(
                client, services, person, command["trigger_id"], respond, channel_id=command.get("channel_id")
            )
            return None
        case sc.Join(topics=topics):
            view, created = services.register.join(person, topics)
            return messages.profile_summary(view, lead=register_blocks.joined_lead(created))
        case sc.SetAvailable(available=available):
            view = services.register.set_available(person, available)
            return messages.profile_summary(view, lead=register_blocks.availability_lead(available))
        case sc.Away(duration=duration, until=until):
            back = duration is None and until is None
            view = services.register.set_away(person, duration=duration, until_date=until)
            return messages.profile_summary(view, lead=register_blocks.away_lead(back=back))
        case sc.Leave():
            return messages.leave_preview(services.register.leave_preview(person), person.tz)
        case sc.ListMine():
            return messages.my_conversations(services.mentoring.my_conversations(person))
        case sc.About():
            open_about_modal(
                client, services, person, command["trigger_id"], respond, channel_id=command.get("channel_id")
            )
            return None
        case sc.Offices(action="add", name=name, tz=tz):
            added = services.offices.add(person, name, tz)
            return offices_message(added, lead=f"Added the office {escape(' '.join(name.split()))}.")
        case sc.Offices(action="remove", name=name):
            left = services.offices.remove(person, name)
            return offices_message(left, lead=f"Removed the office {escape(' '.join(name.split()))}.")
        case sc.Offices():
            return offices_message(services.offices.offices())
        case sc.CoffeePoolNew():
            open_pool_modal(
                client, services, person, command["trigger_id"], respond, channel_id=command.get("channel_id")
            )
            return None
        case sc.Host():
            open_host_modal(
                client, services, person, command["trigger_id"], respond, channel_id=command.get("channel_id")
            )
            return None
        case sc.Sessions(topics=topics, place=place):
            return hosting.sessions_message(services.hosting.upcoming(person, topics, place), person.tz)
        case sc.ProgramCommand():
            return serve_program(cmd, person, services, client, command)
        case sc.Mentors(topics=topics):
            return directory.mentor_directory(services.mentoring.browse_mentors(person, topics))
        case (
            sc.CoffeeHelp()
            | sc.CoffeeJoin()
            | sc.CoffeePools()
            | sc.CoffeeLeave()
            | sc.CoffeePause()
            | sc.CoffeeResume()
            | sc.CoffeeStatus()
            | sc.CoffeeChannel()
            | sc.CoffeeAvoid()
            | sc.CoffeeSchedule()
            | sc.CoffeeScheduleShow()
            | sc.CoffeeRun()
            | sc.CoffeePreview()
        ):
            return coffee.serve(cmd, person, services, client)
        case sc.Stats() | sc.Export() | sc.ForgetMe():
            return insight.serve(cmd, person, services, client)
        case _:
            assert_never(cmd)


def open_profile_modal(
    client: WebClient,
    services: Services,
    person: Person,
    trigger_id: str,
    respond: Respond,
    *,
    channel_id: str | None,
) -> None:
    """Open the profile modal; an expired trigger (Slack gives 3 seconds) gets a friendly retry hint.

    The modal remembers the conversation it was opened from (not a response_url), to confirm the save there.
    """
    view = services.register.profile(person)
    modal = profile_modal(view, tz=person.tz, form=ProfileForm(channel_id or None))
    open_modal(client, trigger_id, modal, respond, again="run `/mentor profile` again")
