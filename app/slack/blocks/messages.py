"""Block Kit messages: what people see in ephemeral answers and DMs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ConfirmObject,
    ContextBlock,
    DividerBlock,
    MarkdownTextObject,
    SectionBlock,
)

from app.domain.meeting import ReverseShortfall
from app.domain.shared_hours import time_of_day
from app.services.mentoring import AskOutcome, MeetingView, MyConversations
from app.services.register import LeavePreview, ProfileView
from app.slack.blocks.format import counted, local_time, mention, short_time, topics_text, zone
from app.slack.ids import Action
from app.slack.mrkdwn import escape
from app.slack.payloads import AskRef, MeetingRef, SlotPick

CONFIDENTIAL = "15 minutes, confidential unless you both agree otherwise."
# Items shown per list (upcoming, waiting, open requests): three capped lists stay well under Slack's
# 50 blocks in a message and 100 in the App Home, however many asks someone piles up.
MAX_LISTED = 10
BIO_IN_OFFER = 150


@dataclass(frozen=True)
class Message:
    """A message ready for chat.postMessage or respond(): fallback text plus blocks."""

    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)

    def as_kwargs(self) -> dict[str, Any]:
        return {"text": self.text, "blocks": self.blocks}


def _render(text: str, *blocks: Block) -> Message:
    return Message(text=text, blocks=[b.to_dict() for b in blocks])


def _section(text: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=text))


def _context(text: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=text)])


def plain(text: str) -> Message:
    return _render(text, _section(text))


def help_message(help_text: str, unknown: str | None = None) -> Message:
    """The help, one section per paragraph: a section's text holds at most 3,000 characters, and the whole
    help is longer than that."""
    intro = f"I don't know `{escape(unknown)}`. Here's what I can do:\n\n" if unknown else ""
    text = intro + help_text
    return _render(text, *(_section(paragraph) for paragraph in text.split("\n\n")))


# --- asking ------------------------------------------------------------------------------------------


def _slot_text(start: datetime, tz: str, marked: bool) -> str:
    """'Tue 8 Dec 10:15', and when the slot is outside the reader's hours, what it means for them."""
    if not marked:
        return short_time(start, tz)
    return f"{short_time(start, tz)}, {time_of_day(start.astimezone(zone(tz)).time())}"


def offer_blocks(
    ask_id: int,
    offers: Sequence[tuple[str, Sequence[str], Sequence[datetime]]],
    tz: str,
    *,
    marked: bool = False,
    bios: Mapping[str, str] | None = None,
) -> list[Block]:
    blocks: list[Block] = []
    for mentor_id, matched, slots in offers:
        line = f"*{mention(mentor_id)}*" + (f"  {topics_text(list(matched))}" if matched else "")
        bio = " ".join((bios or {}).get(mentor_id, "").split())
        if bio:  # what the mentor wrote about themselves, so the asker can choose; the start of it
            line += "\n" + escape(bio if len(bio) <= BIO_IN_OFFER else bio[: BIO_IN_OFFER - 1].rstrip() + "…")
        blocks.append(_section(line))
        blocks.append(
            ActionsBlock(
                block_id=f"offer_{mentor_id}",
                elements=[
                    ButtonElement(
                        text=_slot_text(start, tz, marked),
                        action_id=f"{Action.PICK_SLOT}_{i}",
                        value=SlotPick(ask_id, mentor_id, start).encode(),
                    )
                    for i, start in enumerate(slots)
                ],
            )
        )
    return blocks


def reverse_unmet(short: ReverseShortfall, gap: int) -> str:
    """'No one open to reverse mentoring is 2+ levels below you in another team; 3 are in your team.'"""
    if not short.open_to_it:
        return (
            "Nobody on the mentor register is open to reverse mentoring right now. I've noted your "
            "request for the program admins."
        )
    reasons = []
    if short.in_your_team:
        reasons.append(f"{short.in_your_team} {'is' if short.in_your_team == 1 else 'are'} in your team")
    if short.too_close:
        reasons.append(
            f"{short.too_close} {'is' if short.too_close == 1 else 'are'} fewer than {gap} levels below you"
        )
    if short.unknown:
        reasons.append(
            f"{short.unknown} {'hasn' if short.unknown == 1 else 'haven'}'t given their team or level"
        )
    why = f"; {', '.join(reasons)}" if reasons else " (or their calendars are full for two weeks)"
    return f"No one open to reverse mentoring is {gap}+ levels below you in another team{why}."


def ask_offers(outcome: AskOutcome, *, lead: str | None = None) -> Message:
    """The asker's choice: up to three mentors, each with their next free slots as buttons."""
    if outcome.aimed_missed:
        missed = (
            f"{mention(outcome.aimed_missed)} can't take a request right now (away, paused or booked up)."
        )
        lead = f"{missed}\n{lead}" if lead else missed
    goal = f"*Your goal:* {escape(outcome.goal)}" + (
        f"  {topics_text(outcome.topics)}" if outcome.topics else ""
    )
    if outcome.unmet and outcome.reverse_shortfall is not None:
        text = reverse_unmet(outcome.reverse_shortfall, outcome.min_level_gap)
        if lead:
            text = f"{lead}\n{text}"
        return _render(text, _section(goal), _section(text))
    if outcome.unmet and outcome.lunch_at:
        text = (
            f"Nobody on the mentor register at {escape(outcome.lunch_at)} has a lunch free on a day they're "
            "in, in the next two weeks"
            + (f" for {topics_text(outcome.topics)}" if outcome.topics else "")
            + ". An online conversation may work: `/mentor ask <goal> #topic`."
        )
        return _render(text, _section(goal), _section(text))
    if outcome.unmet:
        text = (
            "Nobody on the mentor register is available right now. I've noted "
            + (f"the topics {topics_text(outcome.topics)}" if outcome.topics else "your request")
            + " for the program admins, so they know where mentors are missing. Try again in a few days."
        )
        if lead:
            text = f"{lead}\n{text}"
        return _render(text, _section(goal), _section(text))
    if not outcome.ranking.in_both_days:
        heading = (
            "No time in the next two weeks is inside both your working hours and a mentor's. These are "
            "the nearest to your day, marked with what they mean for you; they'll be asked to accept:"
        )
    elif outcome.aimed_at:
        heading = f"Pick a 15-minute slot with {mention(outcome.aimed_at)}. They'll be asked to accept:"
    elif not outcome.ranking.topic_matched:
        heading = (
            f"No mentor covers {topics_text(outcome.topics)} right now. These mentors are available "
            "and may still help:"
        )
    elif outcome.lunch_at:
        heading = (
            f"Pick a lunch at {escape(outcome.lunch_at)}: an hour, in person, on a day the mentor is in. "
            "They'll be asked to accept:"
        )
    else:
        heading = "Pick a 15-minute slot with one of these mentors. They'll be asked to accept:"
    if lead:
        heading = f"{lead}\n{heading}"
    offers = [(o.mentor.user_id, sorted(o.matched_topics), o.slots) for o in outcome.ranking.offers]
    blocks: list[Block] = [
        _section(goal),
        _section(heading),
        *offer_blocks(
            outcome.ask_id,
            offers,
            outcome.asker_tz,
            marked=not outcome.ranking.in_both_days,
            bios=outcome.bios,
        ),
    ]
    blocks.append(
        _context(
            f"Times are in your time zone ({escape(outcome.asker_tz)}).  "
            "Changed your mind? `/mentor list` shows your open requests."
        )
    )
    return _render(heading, *blocks)


def request_sent(view: MeetingView, tz: str) -> Message:
    text = (
        f"Request sent to {mention(view.other_id)} for *{local_time(view.start, tz)}*. "
        "I'll message you when they answer; the slot is held for you until then."
    )
    return _render(
        text, _section(text), ActionsBlock(elements=[_cancel_button(view.meeting_id, "Withdraw request")])
    )


def _cancel_button(meeting_id: int, label: str = "Cancel") -> ButtonElement:
    return ButtonElement(
        text=label,
        action_id=Action.CANCEL_MEETING,
        value=MeetingRef(meeting_id).encode(),
        style="danger",
        confirm=ConfirmObject(
            title="Cancel?", text="The other person will be told.", confirm="Yes, cancel", deny="Keep it"
        ),
    )


def request_answered(asker_id: str, what: str) -> Message:
    """The mentor's request DM once answered: its buttons gone, what became of it in their place."""
    text = f"Request from {mention(asker_id)}: {what}."
    return plain(text)


# --- listing and the register ------------------------------------------------------------------------


def my_conversations(mine: MyConversations) -> Message:
    if not (mine.upcoming or mine.pending or mine.open_asks):
        return plain(
            "You have no upcoming conversations or open requests. "
            "Ask for one with `/mentor ask &lt;goal&gt; #topic`."
        )
    blocks: list[Block] = []
    if mine.upcoming:
        blocks.append(_section("*Upcoming conversations*"))
        for v in mine.upcoming[:MAX_LISTED]:
            who = "with mentee" if v.role == "mentor" else "with mentor"
            blocks.append(
                SectionBlock(
                    text=MarkdownTextObject(
                        text=f"{local_time(v.start, mine.tz)} {who} {mention(v.other_id)}\n_{escape(v.goal)}_"
                    ),
                    accessory=_cancel_button(v.meeting_id),
                )
            )
        blocks.extend(_more(len(mine.upcoming)))
    if mine.pending:
        blocks.append(DividerBlock())
        blocks.append(_section("*Waiting for an answer*"))
        for v in mine.pending[:MAX_LISTED]:
            line = (
                f"You asked {mention(v.other_id)} for {local_time(v.start, mine.tz)}"
                if v.role == "asker"
                else f"{mention(v.other_id)} asked you for {local_time(v.start, mine.tz)} (answer in my DM)"
            )
            blocks.append(
                SectionBlock(
                    text=MarkdownTextObject(text=f"{line}\n_{escape(v.goal)}_"),
                    accessory=_cancel_button(v.meeting_id, "Withdraw" if v.role == "asker" else "Cancel"),
                )
            )
        blocks.extend(_more(len(mine.pending)))
    if mine.open_asks:
        blocks.append(DividerBlock())
        blocks.append(_section("*Open requests* (no slot picked yet)"))
        for a in mine.open_asks[:MAX_LISTED]:
            blocks.append(
                SectionBlock(
                    text=MarkdownTextObject(text=f"_{escape(a.goal)}_ {topics_text(a.topics)}"),
                    accessory=ButtonElement(
                        text="Show mentors", action_id=Action.SHOW_OPTIONS, value=AskRef(a.ask_id).encode()
                    ),
                )
            )
        blocks.extend(_more(len(mine.open_asks)))
    return _render("Your conversations", *blocks)


def _more(total: int) -> list[Block]:
    """A line for what a capped list leaves out (Slack refuses a message of more than 50 blocks)."""
    if total <= MAX_LISTED:
        return []
    return [_context(f"… and {total - MAX_LISTED} more.")]


def profile_summary(view: ProfileView, *, lead: str) -> Message:
    from app.domain.windows import format_windows

    status = "available for new requests" if view.available else "not taking new requests"
    if view.away_until is not None:
        status = f"away until {local_time(view.away_until, view.tz)}"
    lines = [
        lead,
        f"*Topics:* {topics_text(view.topics) or '_none yet_'}",
        f"*Time windows* ({escape(view.tz)}): {format_windows(view.windows)}"
        + ("" if view.windows_customised else " _(default)_"),
        f"*Capacity:* {view.capacity_per_week} conversations a week; {status}.",
    ]
    return _render(
        lead,
        _section("\n".join(lines)),
        ActionsBlock(
            elements=[ButtonElement(text="Edit profile", action_id=Action.EDIT_PROFILE, value="edit")]
        ),
    )


def leave_preview(preview: LeavePreview, tz: str) -> Message:
    lines = ["*Leave the mentor register?* You won't be offered to anyone any more."]
    if preview.confirmed:
        lines.append(
            f"Your {counted(len(preview.confirmed), 'confirmed conversation')} "
            f"{'stays' if len(preview.confirmed) == 1 else 'stay'} booked: "
            + ", ".join(f"{local_time(m.start_at, tz)} with {mention(m.asker_id)}" for m in preview.confirmed)
            + ". Cancel any of them with `/mentor list`."
        )
    if preview.pending:
        lines.append(
            f"Your {counted(len(preview.pending), 'unanswered request')} will be declined, and the askers "
            "offered other mentors."
        )
    if not (preview.confirmed or preview.pending):
        lines.append("You have no upcoming bookings.")
    lines.append("Just need a break? `/mentor available off` or `/mentor away 14d` keeps your profile.")
    return _render(
        lines[0],
        _section("\n".join(lines)),
        ActionsBlock(
            elements=[
                ButtonElement(
                    text="Leave the register", action_id=Action.LEAVE_CONFIRM, value="leave", style="danger"
                ),
                ButtonElement(text="Stay", action_id=Action.LEAVE_STAY, value="stay"),
            ]
        ),
    )


def after_cancel(refusal: str | None, mine: MyConversations) -> Message:
    """The conversation list in place of the one clicked, led by what the click did."""
    lead = refusal or "Cancelled; the other person has been told."
    listing = my_conversations(mine)
    return Message(text=lead, blocks=[*plain(lead).blocks, *listing.blocks])
