"""Admins' figures (`stats`, `export`) and anyone's erasure (`forget-me`)."""

from __future__ import annotations

from typing import Any, assert_never

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from app.services.container import Services
from app.services.people import Person
from app.slack import subcommands as sc
from app.slack.blocks.insight import erasure_report, forget_me_question, stats_message
from app.slack.blocks.messages import Message, plain
from app.slack.ids import Action
from app.slack.people import PeopleDirectory

EXPORT_FILENAME = "mentorbot-program.csv"


def register(app: App) -> None:
    app.action(Action.FORGET_CONFIRM)(forget_confirm)
    app.action(Action.FORGET_CANCEL)(forget_cancel)


def serve(
    cmd: sc.Stats | sc.Export | sc.ForgetMe, person: Person, services: Services, client: WebClient
) -> Message:
    match cmd:
        case sc.Stats(period_days=days):
            return stats_message(services.insight.stats(person, days))
        case sc.Export():
            activity = services.insight.export_csv(person, None)
            # the programs' figures follow as a second table, after a blank line
            _upload_csv(client, person, activity + "\n" + services.programs.export_csv(person))
            return plain("I've sent the CSV to our DM. :page_facing_up:")
        case sc.ForgetMe():
            return forget_me_question()  # nothing is erased before the person confirms
        case _:
            assert_never(cmd)


def _upload_csv(client: WebClient, person: Person, content: str) -> None:
    channel = client.conversations_open(users=person.user_id)["channel"]["id"]
    client.files_upload_v2(
        channel=channel,
        content=content,
        filename=EXPORT_FILENAME,
        title="Mentorbot program figures",
        initial_comment='Program figures per week and per team (groups under 5 people merged into "other").',
    )


def forget_confirm(
    ack: Ack, body: dict[str, Any], respond: Respond, services: Services, people: PeopleDirectory
) -> None:
    ack()
    report = services.erasure.forget(people.get(body["user"]["id"]))
    people.forget(body["user"]["id"])  # this process's cache of Slack profiles, not a service
    respond(replace_original=True, **erasure_report(report).as_kwargs())


def forget_cancel(ack: Ack, respond: Respond) -> None:
    ack()
    respond(replace_original=True, **plain("Nothing was erased.").as_kwargs())
