"""Programs' sessions: the three times proposed (the mentee picks), the mentor's Confirm, and the booked
session with calendar links (the ``.ics`` file follows the message) or its reminder the day before."""

from __future__ import annotations

from datetime import timedelta

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ConfirmObject,
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


def skip_button(session_id: int) -> ButtonElement:
    """Either of the two may skip a session; Slack asks them to be sure first."""
    return ButtonElement(
        text="Skip this session",
        action_id=Action.PROGRAM_SKIP,
        value=ProgramSlotRef(session_id).encode(),
        confirm=ConfirmObject(
            title="Skip this session?",
            text="It's off for both of you; the next one is still proposed on time.",
            confirm="Skip it",
            deny="Keep it",
        ),
    )


def _changes(session_id: int) -> dict[str, object]:
    move = ButtonElement(
        text="Move", action_id=Action.PROGRAM_MOVE, value=ProgramSlotRef(session_id).encode()
    )
    return ActionsBlock(
        block_id=f"program_change_{session_id}", elements=[move, skip_button(session_id)]
    ).to_dict()


def _agenda(agenda: str) -> dict[str, object]:
    return _section(f"*Agenda:* {escape(agenda)}")


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
            ActionsBlock(
                block_id=f"program_skip_{notice.session_id}", elements=[skip_button(notice.session_id)]
            ).to_dict(),
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
    agenda = [_agenda(notice.agenda)] if notice.agenda else []
    if notice.reminder:
        text = f"Tomorrow: session {notice.number} of {notice.of} of {program}, {when}."
        return Message(text=text, blocks=[_section(text), *agenda])
    text = f"Session {notice.number} of {notice.of} of {program} is booked: {when}."
    if notice.moves:
        by = f" by {mention(notice.moved_by)}" if notice.moved_by else ""
        text = f"Session {notice.number} of {notice.of} of {program} was moved{by}. The new time: {when}."
    title = f"{notice.program}: mentoring session"
    about = f"Session {notice.number} of {notice.of}, {notice.minutes} minutes."
    buttons = calendar_buttons(title, notice.start, timedelta(minutes=notice.minutes), about)
    return Message(
        text=text,
        blocks=[
            _section(text),
            *agenda,
            ActionsBlock(block_id=f"program_calendar_{notice.session_id}", elements=buttons).to_dict(),
            _changes(notice.session_id),
            _context(
                "A calendar file follows"
                + (" (it replaces the earlier one)" if notice.moves else "")
                + ". You'll get a reminder the day before; either of you can move or skip it."
            ),
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
