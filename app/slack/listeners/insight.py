"""Admins' figures (`stats`, `export`) and anyone's erasure (`forget-me`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk.models.blocks import ActionsBlock, ButtonElement, MarkdownTextObject, SectionBlock

from app.services.container import Services
from app.services.erasure import ErasureReport
from app.slack import subcommands as sc
from app.slack.blocks.insight import stats_message
from app.slack.blocks.messages import Message, plain
from app.slack.ids import Action
from app.slack.listeners.context import Ctx
from app.slack.people import PeopleDirectory


def register(app: App) -> None:
    app.action(Action.FORGET_CONFIRM)(forget_confirm)
    app.action(Action.FORGET_CANCEL)(forget_cancel)


def _stats(cmd: sc.Stats, ctx: Ctx) -> None:
    ctx.reply(stats_message(ctx.services.insight.stats(ctx.person, cmd.period_days)))


def _export(_: sc.Export, ctx: Ctx) -> None:
    content = ctx.services.insight.export_csv(ctx.person, None)
    channel = ctx.client.conversations_open(users=ctx.person.user_id)["channel"]["id"]
    ctx.client.files_upload_v2(
        channel=channel,
        content=content,
        filename="mentorbot-program.csv",
        title="Mentorbot program figures",
        initial_comment='Program figures per week and per team (groups under 5 people merged into "other").',
    )
    ctx.reply(plain("I've sent the CSV to our DM. :page_facing_up:"))


def _forget_me(_: sc.ForgetMe, ctx: Ctx) -> None:
    text = (
        "*Erase what Mentorbot holds about you?* Your mentor profile and topics, your goals, notes and "
        'answers, your coffee choices and "don\'t pair" list, and your pairing history go. Upcoming '
        "conversations are cancelled (the other person is told). Only anonymous counts stay in the "
        "program's totals. Nobody, not even an admin, can undo this."
    )
    ctx.reply(
        Message(
            text=text,
            blocks=[
                SectionBlock(text=MarkdownTextObject(text=text)).to_dict(),
                ActionsBlock(
                    elements=[
                        ButtonElement(
                            text="Erase my data",
                            action_id=Action.FORGET_CONFIRM,
                            value="forget",
                            style="danger",
                        ),
                        ButtonElement(text="Keep it", action_id=Action.FORGET_CANCEL, value="keep"),
                    ]
                ).to_dict(),
            ],
        )
    )


HANDLERS: dict[type, Callable[[Any, Ctx], None]] = {
    sc.Stats: _stats,
    sc.Export: _export,
    sc.ForgetMe: _forget_me,
}


def forget_confirm(
    ack: Ack, body: dict[str, Any], respond: Respond, services: Services, people: PeopleDirectory
) -> None:
    ack()
    report = services.erasure.forget(people.get(body["user"]["id"]))
    people.forget(body["user"]["id"])
    respond(replace_original=True, **plain(_report_text(report)).as_kwargs())


def forget_cancel(ack: Ack, respond: Respond) -> None:
    ack()
    respond(replace_original=True, **plain("Nothing was erased.").as_kwargs())


def _report_text(r: ErasureReport) -> str:
    lines = ["Done. I've erased what I held about you:"]
    lines.append("• your mentor profile and topics" if r.mentor_profile else "• (you had no mentor profile)")
    lines.append(f"• {r.goals} goal(s) and {r.notes} private note(s)")
    lines.append(f"• {r.answers} feedback answer(s) and {r.coffee_groups} coffee group(s) in your history")
    lines.append(f'• your "don\'t pair" list ({r.avoid_entries}) and coffee choices')
    if r.cancelled_conversations:
        lines.append(
            f"• {r.cancelled_conversations} upcoming conversation(s) were cancelled; the others were told"
        )
    lines.append(
        "Only anonymous counts remain. If you're in a coffee channel, leave it to stay out of rounds."
    )
    return "\n".join(lines)
