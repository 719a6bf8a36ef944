"""Programs' sessions once booked: the skipped session, the mentor's agenda (the ask with its button,
the form, the mentee's DM), the move form (fresh times in the mover's zone and the partner's), the pair's
one behind-schedule nudge, the coach's word, and the kind word when a partner left the workspace."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
    SectionBlock,
)

from app.services import notices as n
from app.services.programs import AgendaForm, MoveForm
from app.slack.blocks.format import local_time, mention
from app.slack.blocks.messages import Message
from app.slack.ids import Action, View
from app.slack.ids import ProgramField as F
from app.slack.mrkdwn import escape
from app.slack.payloads import ProgramMoveRef, ProgramSlotRef

MAX_AGENDA = 1000


def _section(text: str) -> dict[str, object]:
    return SectionBlock(text=MarkdownTextObject(text=text)).to_dict()


def _context(text: str) -> dict[str, object]:
    return ContextBlock(elements=[MarkdownTextObject(text=text)]).to_dict()


def skipped(notice: n.SessionSkipped) -> Message:
    text = (
        f"{mention(notice.skipped_by)} skipped session {notice.number} of {notice.of} of "
        f"{escape(notice.program)}. No problem:"
    )
    if notice.next_at is None:
        text += " that was the program's last session."
    else:
        text += (
            f" session {notice.number + 1} is proposed on {local_time(notice.next_at, notice.mentee_tz)} "
            f"for {mention(notice.mentee_id)}, {local_time(notice.next_at, notice.mentor_tz)} for "
            f"{mention(notice.mentor_id)}, as planned."
        )
    blocks = [_section(text)]
    if notice.start is not None:
        blocks.append(_context("A calendar file follows that takes it off your calendars."))
    return Message(text=text, blocks=blocks)


def agenda_asked(notice: n.AgendaAsked) -> Message:
    text = (
        f"Session {notice.number} of {escape(notice.program)} with {mention(notice.mentee_id)} is on "
        f"{local_time(notice.start, notice.tz)}. Set its agenda: a line or two on what you'll cover, so "
        "your mentee can prepare."
    )
    button = ButtonElement(
        text="Set the agenda",
        action_id=Action.PROGRAM_AGENDA,
        value=ProgramSlotRef(notice.session_id).encode(),
        style="primary",
    )
    return Message(
        text=text,
        blocks=[
            _section(text),
            ActionsBlock(block_id=f"program_agenda_{notice.session_id}", elements=[button]).to_dict(),
            _context("You can change it until the session starts; your mentee sees each version."),
        ],
    )


def agenda_shared(notice: n.AgendaShared) -> Message:
    verb = "changed the agenda" if notice.version > 1 else "set the agenda"
    text = (
        f"{mention(notice.mentor_id)} {verb} for session {notice.number} of {escape(notice.program)} "
        f"({local_time(notice.start, notice.tz)}):"
    )
    return Message(text=f"{text} {notice.agenda}", blocks=[_section(text), _section(escape(notice.agenda))])


def pair_behind(notice: n.PairBehind) -> Message:
    text = (
        f"Session {notice.number} of {escape(notice.program)} didn't happen in its window. Life gets busy, "
        "and that's fine."
    )
    if notice.next_at is not None:
        day = f"{notice.next_at:%a} {notice.next_at.day} {notice.next_at:%b}"
        text += f" The next one is proposed here on {day}; picking a time early helps."
    else:
        text += " If a session is proposed above, picking a time early helps."
    words = (
        f"{mention(notice.mentor_id)}, {mention(notice.mentee_id)}: this is the only reminder of its kind. "
        "If the pairing isn't working, the button on your introduction ends it without blame."
    )
    return Message(text=text, blocks=[_section(text), _context(words)])


def coach_behind(notice: n.CoachBehind) -> Message:
    text = (
        f"In {escape(notice.program)}, {mention(notice.mentor_id)} and {mention(notice.mentee_id)} have "
        f"missed {notice.missed} sessions. A friendly word from you may help them get going again."
    )
    return Message(text=text, blocks=[_section(text)])


def partner_left(notice: n.PartnerLeft) -> Message:
    text = (
        f"{mention(notice.gone_id)} has left the workspace, so your pairing in *{escape(notice.program)}* "
        "ends here. That's nobody's doing, least of all yours. Thank you for the time you gave it: the "
        "program's admin will suggest a new partner if one fits."
    )
    return Message(text=text, blocks=[_section(text)])


def _text(value: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": value}


def _modal(callback: View, title: str, submit: str, blocks: list[Any], metadata: str) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": callback,
        "title": _text(title),
        "submit": _text(submit),
        "close": _text("Cancel"),
        "private_metadata": metadata,
        "blocks": blocks,
    }


def agenda_modal(form: AgendaForm) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": F.AGENDA,
        "multiline": True,
        "max_length": MAX_AGENDA,
    }
    if form.agenda:
        element["initial_value"] = form.agenda
    blocks = [
        _section(
            f"Session {form.number} of {escape(form.program)} with {mention(form.mentee_id)}: "
            "they'll see this in a DM and in the session's message."
        ),
        {"type": "input", "block_id": F.AGENDA, "label": _text("Agenda"), "element": element},
    ]
    return _modal(
        View.PROGRAM_AGENDA, "Session agenda", "Save", blocks, ProgramSlotRef(form.session_id).encode()
    )


def move_modal(form: MoveForm, tz: str) -> dict[str, Any]:
    options = [
        {
            "text": _text(f"{local_time(s, tz)} (for them {local_time(s, form.partner_tz)})"[:75]),
            "value": str(int(s.timestamp())),
        }
        for s in form.slots
    ]
    blocks = [
        _section(
            f"Session {form.number} of {escape(form.program)} is now on {local_time(form.start, tz)}. "
            f"Pick a new time inside both your and {mention(form.partner_id)}'s working hours; you'll "
            "both be told, with a new calendar file."
        ),
        {
            "type": "input",
            "block_id": F.MOVE_TO,
            "label": _text("New time"),
            "element": {"type": "radio_buttons", "action_id": F.MOVE_TO, "options": options},
        },
    ]
    metadata = ProgramMoveRef(form.session_id, form.moves).encode()
    return _modal(View.PROGRAM_MOVE, "Move the session", "Move", blocks, metadata)
