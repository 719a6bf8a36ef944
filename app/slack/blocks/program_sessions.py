"""Programs' sessions: the three times proposed (the mentee picks), the mentor's Confirm, and the booked
session with calendar links (the ``.ics`` file follows the message) or its reminder the day before."""

from __future__ import annotations

from datetime import timedelta

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
    SectionBlock,
)

from app.services import notices as n
from app.slack.blocks.calendar import calendar_buttons
from app.slack.blocks.format import local_time, mention, short_time
from app.slack.blocks.messages import Message
from app.slack.ids import Action
from app.slack.mrkdwn import escape
from app.slack.payloads import ProgramSlotRef


def _section(text: str) -> dict[str, object]:
    return SectionBlock(text=MarkdownTextObject(text=text)).to_dict()


def _context(text: str) -> dict[str, object]:
    return ContextBlock(elements=[MarkdownTextObject(text=text)]).to_dict()


def proposed(notice: n.SessionProposed) -> Message:
    program = escape(notice.program)
    text = (
        f"Time for session {notice.number} of {notice.of} of {program} ({notice.minutes} minutes): "
        f"{mention(notice.mentee_id)}, pick a time; {mention(notice.mentor_id)} confirms it."
    )
    if not notice.slots:
        words = "No time fits both your working days in the next three weeks: agree one between you."
        return Message(text=text, blocks=[_section(text), _section(words)])
    lines = "\n".join(
        f"{k + 1}. {local_time(s, notice.mentee_tz)} for {mention(notice.mentee_id)}, "
        f"{local_time(s, notice.mentor_tz)} for {mention(notice.mentor_id)}"
        for k, s in enumerate(notice.slots)
    )
    picks = [
        ButtonElement(
            text=short_time(s, notice.mentee_tz),
            action_id=f"{Action.PROGRAM_PICK}_{k}",
            value=ProgramSlotRef(notice.session_id, k).encode(),
        )
        for k, s in enumerate(notice.slots)
    ]
    return Message(
        text=text,
        blocks=[
            _section(text),
            _section(lines),
            ActionsBlock(block_id=f"program_pick_{notice.session_id}", elements=picks).to_dict(),
            _context("Each time is inside both your working hours."),
        ],
    )


def picked(notice: n.SessionPicked) -> Message:
    text = (
        f"{mention(notice.mentee_id)} picked {local_time(notice.start, notice.tz)} for session "
        f"{notice.number} of {escape(notice.program)}. Confirm it to put it on both calendars."
    )
    confirm = ButtonElement(
        text="Confirm",
        action_id=Action.PROGRAM_CONFIRM,
        value=ProgramSlotRef(notice.session_id).encode(),
        style="primary",
    )
    return Message(
        text=text,
        blocks=[
            _section(text),
            ActionsBlock(block_id=f"program_confirm_{notice.session_id}", elements=[confirm]).to_dict(),
        ],
    )


def booked(notice: n.SessionBooked) -> Message:
    when = (
        f"{local_time(notice.start, notice.mentee_tz)} for {mention(notice.mentee_id)}, "
        f"{local_time(notice.start, notice.mentor_tz)} for {mention(notice.mentor_id)}"
    )
    program = escape(notice.program)
    if notice.reminder:
        text = f"Tomorrow: session {notice.number} of {notice.of} of {program}, {when}."
        return Message(text=text, blocks=[_section(text)])
    text = f"Session {notice.number} of {notice.of} of {program} is booked: {when}."
    title = f"{notice.program}: mentoring session"
    about = f"Session {notice.number} of {notice.of}, {notice.minutes} minutes."
    buttons = calendar_buttons(title, notice.start, timedelta(minutes=notice.minutes), about)
    return Message(
        text=text,
        blocks=[
            _section(text),
            ActionsBlock(block_id=f"program_calendar_{notice.session_id}", elements=buttons).to_dict(),
            _context("A calendar file follows. You'll get a reminder the day before."),
        ],
    )


def check_in(notice: n.ProgramCheckIn) -> Message:
    text = (
        f"How was session {notice.number} of {escape(notice.program)} with {mention(notice.partner_id)}? "
        "Rate it if it happened."
    )
    ref = ProgramSlotRef(notice.session_id).encode()
    rates = [
        ButtonElement(text=str(k), action_id=f"{Action.PROGRAM_RATE}_{k}", value=ref) for k in range(1, 6)
    ]
    others = [
        ButtonElement(text="It didn't happen", action_id=Action.PROGRAM_NOT_HELD, value=ref),
        ButtonElement(text="Add a private note", action_id=Action.PROGRAM_NOTE, value=ref),
    ]
    return Message(
        text=text,
        blocks=[
            _section(text),
            ActionsBlock(block_id=f"program_rate_{notice.session_id}", elements=rates).to_dict(),
            ActionsBlock(block_id=f"program_held_{notice.session_id}", elements=others).to_dict(),
            _context("1 = poor, 5 = excellent. Your note is yours alone: nobody else reads it."),
        ],
    )
