"""Hosted sessions on Slack: the "host a session" modal, the list with Join buttons, the answers to
Join / Leave / Cancel, and the two notices (a seat came free, the host cancelled). Pure builders."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    CheckboxesElement,
    ContextBlock,
    DatePickerElement,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    RadioButtonsElement,
    SectionBlock,
    StaticSelectElement,
    TimePickerElement,
)
from slack_sdk.models.views import View

from app.domain.formats import (
    MAX_DESCRIPTION,
    MAX_LINK,
    MAX_PLACE,
    MAX_SEATS,
    MAX_TITLE,
    RULES,
    Format,
    Where,
)
from app.services.session_views import JoinResult, SessionView
from app.slack.blocks.format import local_time, mention, topics_text, zone
from app.slack.blocks.messages import Message
from app.slack.ids import Action, Field
from app.slack.ids import Block as BlockId
from app.slack.ids import View as ViewId
from app.slack.mrkdwn import escape
from app.slack.payloads import ProfileForm, SessionRef

HOSTED_FORMATS = tuple(f for f in Format if RULES[f].hosted)
LENGTHS = (30, 45, 60, 90, 120, 180, 240)  # minutes; the format's rules say which fit
SEATS_HINT = (
    f"2 to {MAX_SEATS}: you all meet in a Slack group DM, which holds 8 people (you and {MAX_SEATS}). "
    "A group lunch seats at most 6."
)
MAX_TOPICS_FIELD = 150


def length_text(minutes: int) -> str:
    if minutes % 60 == 0:
        return f"{minutes // 60} hour" + ("s" if minutes > 60 else "")
    return f"{minutes // 60} h {minutes % 60} min" if minutes > 60 else f"{minutes} minutes"


def host_modal(*, tz: str, offices: Sequence[str], form: ProfileForm) -> dict[str, Any]:
    formats = [Option(value=f.value, text=RULES[f].label) for f in HOSTED_FORMATS]
    lengths = [Option(value=str(m), text=length_text(m)) for m in LENGTHS]
    seats = [Option(value=str(k), text=str(k)) for k in range(2, MAX_SEATS + 1)]
    places = [
        Option(value=Where.ONLINE.value, text="Online"),
        Option(value=Where.IN_PERSON.value, text="In person"),
    ]
    blocks: list[Block] = [
        InputBlock(
            block_id=BlockId.SESSION_FORMAT,
            label="Format",
            element=StaticSelectElement(
                action_id=Field.SESSION_FORMAT, options=formats, initial_option=formats[0]
            ),
        ),
        InputBlock(
            block_id=BlockId.SESSION_TITLE,
            label="Title",
            element=PlainTextInputElement(
                action_id=Field.SESSION_TITLE,
                max_length=MAX_TITLE,
                placeholder="Office hours: career questions",
            ),
        ),
        InputBlock(
            block_id=BlockId.SESSION_TOPICS,
            label="Topics",
            optional=True,
            hint="e.g. #python #career: people find the session by them.",
            element=PlainTextInputElement(action_id=Field.SESSION_TOPICS, max_length=MAX_TOPICS_FIELD),
        ),
        InputBlock(
            block_id=BlockId.SESSION_DATE,
            label="Date",
            element=DatePickerElement(action_id=Field.SESSION_DATE),
        ),
        InputBlock(
            block_id=BlockId.SESSION_TIME,
            label=f"Start ({tz})",
            hint="In your Slack time zone; everyone else sees it in theirs.",
            element=TimePickerElement(action_id=Field.SESSION_TIME, initial_time="12:00", timezone=tz),
        ),
        InputBlock(
            block_id=BlockId.SESSION_LENGTH,
            label="Length",
            element=StaticSelectElement(
                action_id=Field.SESSION_LENGTH, options=lengths, initial_option=lengths[2]
            ),
        ),
        InputBlock(
            block_id=BlockId.SESSION_SEATS,
            label="Seats",
            hint=SEATS_HINT,
            element=StaticSelectElement(
                action_id=Field.SESSION_SEATS, options=seats, initial_option=seats[2]
            ),
        ),
        InputBlock(
            block_id=BlockId.SESSION_WHERE,
            label="Where",
            element=RadioButtonsElement(
                action_id=Field.SESSION_WHERE, options=places, initial_option=places[0]
            ),
        ),
        InputBlock(
            block_id=BlockId.SESSION_LINK,
            label="Meeting link (online)",
            optional=True,
            hint="An https:// link; empty: your profile's link if you set one, else the group DM.",
            element=PlainTextInputElement(action_id=Field.SESSION_LINK, max_length=MAX_LINK),
        ),
    ]
    if offices:
        options = [Option(value=name, text=name) for name in offices]
        blocks.append(
            InputBlock(
                block_id=BlockId.SESSION_OFFICE,
                label="Office (in person)",
                optional=True,
                element=StaticSelectElement(action_id=Field.SESSION_OFFICE, options=options),
            )
        )
    blocks += [
        InputBlock(
            block_id=BlockId.SESSION_PLACE,
            label="Place (in person)",
            optional=True,
            hint="A room or a restaurant.",
            element=PlainTextInputElement(action_id=Field.SESSION_PLACE, max_length=MAX_PLACE),
        ),
        InputBlock(
            block_id=BlockId.SESSION_DESCRIPTION,
            label="Description",
            optional=True,
            element=PlainTextInputElement(
                action_id=Field.SESSION_DESCRIPTION, multiline=True, max_length=MAX_DESCRIPTION
            ),
        ),
        InputBlock(
            block_id=BlockId.SESSION_CHECK_INS,
            label="Check-ins (coworking)",
            optional=True,
            element=CheckboxesElement(
                action_id=Field.SESSION_CHECK_INS,
                options=[Option(value="on", text="Post a short check-in every 30 minutes in the group DM")],
            ),
        ),
    ]
    return View(
        type="modal",
        callback_id=ViewId.HOST,
        title="Host a session",
        submit="Host",
        close="Cancel",
        private_metadata=form.encode(),
        blocks=blocks,
    ).to_dict()


def _render(text: str, *blocks: Block) -> Message:
    return Message(text=text, blocks=[b.to_dict() for b in blocks])


def _section(text: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=text))


def _context(text: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=text)])


def _where(view: SessionView) -> str:
    if view.where == Where.ONLINE:
        if not view.link:
            return "online, in the group DM"
        # A validated https link may still hold characters Slack's <url|text> markup reads: show it as text.
        return (
            f"online, {escape(view.link)}"
            if set("<>|") & set(view.link)
            else f"online, <{view.link}|the host's link>"
        )
    place = f", {escape(view.place)}" if view.place else ""
    return f"in person at {escape(view.office or 'the office')}{place}"


def _seats(view: SessionView) -> str:
    if view.cancelled:
        return "cancelled"
    if view.seats_left:
        return f"{view.seats_left} of {view.seats} seats left"
    waiting = f", {view.waitlisted} on the waitlist" if view.waitlisted else ""
    return f"full{waiting}"


def session_text(view: SessionView, tz: str) -> str:
    minutes = view.length // timedelta(minutes=1)
    topics = f"  {topics_text(view.topics)}" if view.topics else ""
    text = (
        f"*{escape(view.title)}* · {view.label} with {mention(view.host_id)}{topics}\n"
        f"{local_time(view.start, tz)}, {length_text(minutes)}, {_where(view)} · {_seats(view)}"
    )
    if view.description:
        text += f"\n{escape(view.description)}"
    return text


def _button(view: SessionView) -> ButtonElement | None:
    ref = SessionRef(view.session_id).encode()
    if view.cancelled:
        return None
    if view.mine == "host":
        return ButtonElement(
            text="Cancel session", action_id=Action.CANCEL_SESSION, value=ref, style="danger"
        )
    if view.mine in ("taken", "waitlisted"):
        label = "Leave" if view.mine == "taken" else "Leave the waitlist"
        return ButtonElement(text=label, action_id=Action.LEAVE_SESSION, value=ref)
    label = "Join" if view.seats_left else "Join the waitlist"
    return ButtonElement(text=label, action_id=Action.JOIN_SESSION, value=ref, style="primary")


def session_blocks(view: SessionView, tz: str) -> list[Block]:
    section = SectionBlock(text=MarkdownTextObject(text=session_text(view, tz)))
    if view.mine == "host" and not view.cancelled:  # two buttons: they go below
        ref = SessionRef(view.session_id).encode()
        move = ButtonElement(text="Move", action_id=Action.MOVE_SESSION, value=ref)
        return [section, ActionsBlock(elements=[move, *filter(None, [_button(view)])])]
    button = _button(view)
    if button is not None:
        section.accessory = button
    return [section]


def sessions_message(views: Sequence[SessionView], tz: str) -> Message:
    if not views:
        text = "No upcoming sessions match. Host one with `/mentor host`."
        return _render(text, _section(text))
    text = f"Upcoming sessions ({len(views)}):"
    blocks: list[Block] = [_section(text)]
    for view in views:
        blocks += session_blocks(view, tz)
    blocks.append(_context("Times are in your Slack time zone. `/mentor host` puts yours on the list."))
    return _render(text, *blocks)


def hosted(view: SessionView, tz: str) -> Message:
    text = f"Your session is on: “{escape(view.title)}”, {local_time(view.start, tz)}."
    return _render(
        text,
        _section(":calendar: Your session is on. People find it with `/mentor sessions`."),
        *session_blocks(view, tz),
    )


def move_modal(view: SessionView, tz: str) -> dict[str, Any]:
    """The host's "move" form: a new date and start in their zone, the present ones filled in."""
    local = view.start.astimezone(zone(tz))
    return View(
        type="modal",
        callback_id=ViewId.MOVE,
        private_metadata=SessionRef(view.session_id).encode(),
        title="Move the session",
        submit="Move",
        close="Cancel",
        blocks=[
            _section(
                f"*{escape(view.title)}*, now {local_time(view.start, tz)}. Everyone is told the new time."
            ),
            InputBlock(
                block_id=BlockId.SESSION_DATE,
                label="New date",
                element=DatePickerElement(
                    action_id=Field.SESSION_DATE, initial_date=local.date().isoformat()
                ),
            ),
            InputBlock(
                block_id=BlockId.SESSION_TIME,
                label=f"New start ({tz})",
                hint="At most 90 days ahead, in your Slack time zone.",
                element=TimePickerElement(action_id=Field.SESSION_TIME, initial_time=f"{local:%H:%M}"),
            ),
        ],
    ).to_dict()


def moved(view: SessionView, tz: str) -> Message:
    text = f"You moved “{escape(view.title)}” to {local_time(view.start, tz)}. Everyone who joined is told."
    return _render(text, _section(text), *session_blocks(view, tz))


def joined(result: JoinResult, tz: str) -> Message:
    view = result.view
    if result.seated:
        text = f"You have a seat in “{escape(view.title)}”, {local_time(view.start, tz)}."
    else:
        text = (
            f"“{escape(view.title)}” is full, so you're on the waitlist (number {result.position}). "
            "If a seat comes free I'll offer it to you, and you'll have a few hours to take it."
        )
    return _render(text, _section(text), *session_blocks(view, tz))


def left(view: SessionView, tz: str) -> Message:
    text = f"You left “{escape(view.title)}”. Your seat went back to the others."
    return _render(text, _section(text), *session_blocks(view, tz))


def cancelled(view: SessionView, tz: str) -> Message:
    text = (
        f"You cancelled “{escape(view.title)}” ({local_time(view.start, tz)}). Everyone who joined is told."
    )
    return _render(text, _section(text))


def seat_taken(title: str, start: datetime, tz: str) -> Message:
    text = (
        f"It's yours: you have a seat in “{escape(title)}”, {local_time(start, tz)}. "
        "The calendar file is in my DM."
    )
    return _render(text, _section(text))


def seat_passed(view: SessionView) -> Message:
    text = f"You passed on the seat in “{escape(view.title)}”: it goes to the next person waiting."
    return _render(text, _section(text))
