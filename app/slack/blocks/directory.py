"""The register as people browse it: `/mentor mentors [#topic]`, a page of mentors with an Ask button each."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
    SectionBlock,
)

from app.services.mentoring import DirectoryView, ListedMentor
from app.slack.blocks.format import local_time, mention, topics_text
from app.slack.blocks.messages import Message
from app.slack.ids import Action
from app.slack.mrkdwn import escape
from app.slack.payloads import DirectoryPageRef, MentorPick

# A bio is up to 500 characters in the profile; the list shows its start so a page stays readable.
BIO_SHOWN = 200


def _bio(text: str) -> str:
    text = " ".join(text.split())
    return escape(text if len(text) <= BIO_SHOWN else text[: BIO_SHOWN - 1].rstrip() + "…")


def _entry(index: int, mentor: ListedMentor, view: DirectoryView) -> SectionBlock:
    lines = [f"*{mention(mentor.user_id)}*  {topics_text(mentor.topics)}"]
    if mentor.bio:
        lines.append(_bio(mentor.bio))
    if mentor.next_slot is not None:
        lines.append(f"Next free: {local_time(mentor.next_slot, view.viewer_tz)}")
    else:
        lines.append("_Fully booked for the next two weeks._")
    return SectionBlock(
        text=MarkdownTextObject(text="\n".join(lines)),
        accessory=ButtonElement(
            text="Ask",
            action_id=f"{Action.ASK_MENTOR}_{index}",
            value=MentorPick(mentor.user_id, view.topics).encode(),
        ),
    )


def _heading(view: DirectoryView) -> str:
    wanted = f" for {topics_text(view.topics)}" if view.topics else ""
    if not view.total:
        away = f" ({view.away} away right now)" if view.away else ""
        return (
            f"No mentor{wanted} is taking requests right now{away}. "
            "`/mentor ask &lt;goal&gt;` still finds whoever can help, and admins see what people asked for."
        )
    people = "mentor" if view.total == 1 else "mentors"
    return (
        f"*{view.total} {people}{wanted}* taking requests. "
        "Ask one by name, or `/mentor ask` for the best match."
    )


def mentor_directory(view: DirectoryView) -> Message:
    """One page of the register, with "Ask" on each mentor and Previous/Next when there are more pages."""
    heading = _heading(view)
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=heading))]
    blocks += [_entry(i, mentor, view) for i, mentor in enumerate(view.mentors)]
    footer = []
    if view.pages > 1:
        footer.append(f"Page {view.page} of {view.pages}")
    if view.total and view.away:
        footer.append(f"{view.away} more {'is' if view.away == 1 else 'are'} away right now")
    if view.total:
        footer.append(f"Times are in your time zone ({escape(view.viewer_tz)})")
    if footer:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=" · ".join(footer))]))
    buttons = []
    if view.page > 1:
        buttons.append(
            ButtonElement(
                text="Previous",
                action_id=f"{Action.DIRECTORY_PAGE}_prev",
                value=DirectoryPageRef(view.page - 1, view.topics).encode(),
            )
        )
    if view.page < view.pages:
        buttons.append(
            ButtonElement(
                text="Next",
                action_id=f"{Action.DIRECTORY_PAGE}_next",
                value=DirectoryPageRef(view.page + 1, view.topics).encode(),
            )
        )
    if buttons:
        blocks.append(ActionsBlock(elements=buttons))
    return Message(text=heading, blocks=[b.to_dict() for b in blocks])
