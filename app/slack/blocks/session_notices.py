"""The hosted sessions' notices as messages: your seat (with its calendar links), a seat that came free
went to you, the host cancelled, the group DM an hour before. Pure builders."""

from __future__ import annotations

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement, MarkdownTextObject, SectionBlock

from app.services import notices as n
from app.slack.blocks.calendar import calendar_buttons
from app.slack.blocks.format import local_time, mention
from app.slack.blocks.hosting import length_text
from app.slack.blocks.ics import description
from app.slack.blocks.messages import Message
from app.slack.ids import Action
from app.slack.mrkdwn import escape
from app.slack.payloads import SessionRef


def _render(text: str, *blocks: Block) -> Message:
    return Message(text=text, blocks=[b.to_dict() for b in blocks])


def _section(text: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=text))


def _seat_actions(notice: n.AboutASession, leave_label: str) -> ActionsBlock:
    """'Add to calendar' links (when the notice knows the length) and a way out."""
    elements: list[ButtonElement] = []
    event = notice.calendar_event()
    if event is not None:
        elements += calendar_buttons(
            event.title or notice.title, event.start, event.length, description(event)
        )
    ref = SessionRef(notice.session_id).encode()
    elements.append(ButtonElement(text=leave_label, action_id=Action.LEAVE_SESSION, value=ref))
    return ActionsBlock(block_id="add_to_calendar", elements=elements)


def _when_where(notice: n.AboutASession) -> str:
    when = local_time(notice.start, notice.tz)
    if notice.minutes:
        when += f" ({length_text(notice.minutes)})"
    where = f"\n*Where:* {escape(notice.where)}" if notice.where else ""  # what the host typed
    return f"*When:* {when}{where}"


def seat_confirmed(notice: n.SeatConfirmed) -> Message:
    text = (
        f"You have a seat in “{escape(notice.title)}” with {mention(notice.host_id)}, "
        f"{local_time(notice.start, notice.tz)}."
    )
    return _render(
        text,
        _section(f":white_check_mark: {text}"),
        _section(_when_where(notice)),
        _seat_actions(notice, "Leave"),
    )


def seat_offered(notice: n.SeatOffered) -> Message:
    text = (
        f"A seat came free in “{escape(notice.title)}” with {mention(notice.host_id)}, "
        f"{local_time(notice.start, notice.tz)}: it's held for you"
        + (f" until {local_time(notice.until, notice.tz)}." if notice.until else ".")
    )
    blocks: list[Block] = [_section(f":tada: {text}")]
    if notice.minutes:
        blocks.append(_section(_when_where(notice)))
    ref = SessionRef(notice.session_id).encode()
    take = ButtonElement(text="Take it", action_id=Action.TAKE_SEAT, value=ref, style="primary")
    give = ButtonElement(text="Pass", action_id=Action.PASS_SEAT, value=ref)
    blocks.append(ActionsBlock(elements=[take, give]))
    blocks.append(_section("If you pass or the time runs out, it goes to the next person waiting."))
    return _render(text, *blocks)


def seat_offer_lapsed(notice: n.SeatOfferLapsed) -> Message:
    text = (
        f"The seat held for you in “{escape(notice.title)}” with {mention(notice.host_id)}, "
        f"{local_time(notice.start, notice.tz)}, has gone to the next person waiting: the time to take it "
        "ran out. No harm done. `/mentor sessions` shows what's open, and you're welcome to join another."
    )
    return _render(text, _section(f":hourglass: {text}"))


def session_cancelled(notice: n.SessionCancelled) -> Message:
    when = local_time(notice.start, notice.tz)
    text = (
        f"{mention(notice.host_id)} cancelled “{escape(notice.title)}” ({when}). "
        "`/mentor sessions` shows the others."
    )
    return _render(text, _section(text))


def check_in(notice: n.SessionCheckIn) -> Message:
    text = (
        f"Check-in {notice.number} for “{escape(notice.title)}”: what did you get done, and what's next? "
        f"A line each in a thread. {length_text(notice.minutes_left)} to go."
    )
    return _render(text, _section(f":coffee: {text}"))


def reminder(notice: n.SessionReminder) -> Message:
    hosting = notice.to == notice.host_id
    who = "you host" if hosting else f"with {mention(notice.host_id)}"
    text = f"Reminder: “{escape(notice.title)}” {who}, {local_time(notice.start, notice.tz)}."
    blocks: list[Block] = [_section(f":alarm_clock: {text}"), _section(_when_where(notice))]
    if not hosting:
        ref = SessionRef(notice.session_id).encode()
        leave = ButtonElement(text="I can't make it", action_id=Action.LEAVE_SESSION, value=ref)
        blocks.append(ActionsBlock(elements=[leave]))
    return _render(text, *blocks)


def session_moved(notice: n.SessionMoved) -> Message:
    was = f" (it was {local_time(notice.was, notice.tz)})" if notice.was else ""
    text = (
        f"{mention(notice.host_id)} moved “{escape(notice.title)}”: it's now "
        f"{local_time(notice.start, notice.tz)}{was}."
    )
    blocks: list[Block] = [_section(f":calendar: {text}")]
    if notice.on_calendar:
        blocks += [
            _section(_when_where(notice) + "\nThe calendar file below replaces the one you had."),
            _seat_actions(notice, "I can't make it"),
        ]
    else:
        ref = SessionRef(notice.session_id).encode()
        leave = ButtonElement(text="Leave the waitlist", action_id=Action.LEAVE_SESSION, value=ref)
        blocks.append(ActionsBlock(elements=[leave]))
    return _render(text, *blocks)


def gathering(notice: n.SessionGathering) -> Message:
    times = ", ".join(
        f"{mention(uid)}: {local_time(notice.start, notice.tzs.get(uid, 'UTC'))}" for uid in notice.users
    )
    where = escape(notice.where)  # office, place and link are what the host typed
    text = (
        f"“{escape(notice.title)}” with {mention(notice.host_id)} starts within the hour. Here's your group."
    )
    return _render(
        text,
        _section(f":wave: {text}"),
        _section(f"*When:* {times} ({length_text(notice.minutes)})\n*Where:* {where}"),
    )
