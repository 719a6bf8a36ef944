"""The App Home tab."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import ContextBlock, HeaderBlock, MarkdownTextObject, SectionBlock
from slack_sdk.models.views import View

from app.services.mentoring import MyConversations
from app.slack.blocks.format import local_time, mention


def home_view(mine: MyConversations, help_text: str) -> dict[str, Any]:
    lines = [f"• {local_time(v.start, mine.tz)} with {mention(v.other_id)}" for v in mine.upcoming]
    pending = [f"• {local_time(v.start, mine.tz)} with {mention(v.other_id)} (waiting)" for v in mine.pending]
    blocks = [
        HeaderBlock(text="Mentorbot"),
        SectionBlock(
            text=MarkdownTextObject(
                text="*Your upcoming conversations*\n" + ("\n".join(lines + pending) or "_None yet._")
            )
        ),
        SectionBlock(text=MarkdownTextObject(text=help_text)),
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text="Conversations are confidential: nothing about who meets whom is posted in channels."
                )
            ]
        ),
    ]
    return View(type="home", blocks=blocks).to_dict()
