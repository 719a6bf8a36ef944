"""Block Kit for feedback: the "How did it go?" question (a notice) and the thanks that answers a click."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
    SectionBlock,
)

from app.domain.model import GoalMet
from app.services.feedback import FeedbackView
from app.slack.blocks.format import local_time, mention
from app.slack.blocks.messages import Message
from app.slack.ids import Action
from app.slack.mrkdwn import escape
from app.slack.payloads import MeetingRef


def _section(text: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=text))


def question(
    *, meeting_id: int, other_id: str, role: str, goal: str, start: datetime, tz: str, reminder: bool = False
) -> Message:
    when = local_time(start, tz)
    text = f"How did your conversation with {mention(other_id)} on {when} go?"
    if reminder:
        text = f"A gentle reminder, the only one: {text[0].lower()}{text[1:]}"
    meeting = MeetingRef(meeting_id).encode()
    blocks: list[Block] = [
        _section(text),
        ActionsBlock(
            block_id="rating",
            elements=[
                ButtonElement(text="★" * n, action_id=f"{Action.RATE}_{n}", value=meeting)
                for n in range(1, 6)
            ],
        ),
    ]
    if role == "asker":
        blocks.append(_section(f"Was your goal met? _{escape(goal)}_"))
        blocks.append(
            ActionsBlock(
                block_id="goal_met",
                elements=[
                    ButtonElement(text=label, action_id=f"{Action.GOAL_MET}_{value}", value=meeting)
                    for value, label in (("yes", "Yes"), ("partly", "Partly"), ("no", "No"))
                ],
            )
        )
    extras = [ButtonElement(text="Add a private note", action_id=Action.FEEDBACK_NOTE, value=meeting)]
    if role == "asker":
        extras.append(
            ButtonElement(text="This wasn't a good fit", action_id=Action.NOT_A_GOOD_FIT, value=meeting)
        )
    blocks.append(ActionsBlock(block_id="feedback_more", elements=extras))
    blocks.append(
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text="Only the program's totals are shared; your answers are never shown with your name, "
                    "and notes are readable by you alone."
                )
            ]
        )
    )
    return Message(text=text, blocks=[b.to_dict() for b in blocks])


def thanks(view: FeedbackView, tz: str) -> Message:
    """What was noted, plus the buttons still worth pressing (the unanswered question, a note)."""
    goal_words = {GoalMet.YES: "goal met", GoalMet.PARTLY: "goal partly met", GoalMet.NO: "goal not met"}
    parts = [f"rating {'★' * view.rating}"] if view.rating is not None else []
    if view.goal_met is not None:
        parts.append(goal_words[view.goal_met])
    when = local_time(view.start, tz)
    if view.changed:
        who = mention(view.other_id)
        text = f"Thanks! For your conversation with {who} on {when} I've noted: {', '.join(parts)}."
    else:
        text = "Already noted, thanks: " + ", ".join(parts) + "."
    still_open = {"feedback_more"}
    if view.rating is None:
        still_open.add("rating")
    if view.role == "asker" and view.goal_met is None:
        still_open.add("goal_met")
    asked = question(
        meeting_id=view.meeting_id,
        other_id=view.other_id,
        role=view.role,
        goal=view.goal,
        start=view.start,
        tz=tz,
    )
    kept: list[dict[str, Any]] = [block for block in asked.blocks if block.get("block_id") in still_open]
    return Message(text=text, blocks=[_section(text).to_dict(), *kept])
