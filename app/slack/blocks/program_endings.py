"""Programs' no-blame endings: the kind word to the partner and the coach, the admin's note with the
reason and Re-pair buttons, and the "this isn't working" button on a pair's introduction."""

from __future__ import annotations

from slack_sdk.models.blocks import ButtonElement, ContextBlock, MarkdownTextObject, SectionBlock

from app.services import notices as n
from app.slack.blocks.format import counted, mention
from app.slack.blocks.messages import Message
from app.slack.ids import Action
from app.slack.mrkdwn import escape
from app.slack.payloads import PairRef, RepairRef


def _section(text: str) -> dict[str, object]:
    return SectionBlock(text=MarkdownTextObject(text=text)).to_dict()


def _context(text: str) -> dict[str, object]:
    return ContextBlock(elements=[MarkdownTextObject(text=text)]).to_dict()


def end_button(pair_id: int) -> list[dict[str, object]]:
    """Under a pair's introduction: either person may end it privately (a modal only they see)."""
    button = ButtonElement(
        text="This isn't working, no blame", action_id=Action.PROGRAM_END, value=PairRef(pair_id).encode()
    )
    return [
        {"type": "actions", "block_id": f"program_end_{pair_id}", "elements": [button.to_dict()]},
        _context("Either of you can end this pairing privately; the other is told kindly, without reasons."),
    ]


def pair_ended(notice: n.PairEnded) -> Message:
    program = escape(notice.program)
    if notice.coach:
        text = (
            f"In {program}, the pairing of {mention(notice.mentor_id)} and {mention(notice.mentee_id)} "
            "has ended, without blame. The admin may re-match them."
        )
    else:
        text = (
            f"Your pairing in *{program}* has ended. That happens, and it's nobody's fault: not every match "
            "clicks. Thank you for the time you gave it; the program's admin may suggest a new partner."
        )
    return Message(text=text, blocks=[_section(text)])


def pair_ended_admin(notice: n.PairEndedAdmin) -> Message:
    if notice.left:
        text = (
            f"In *{escape(notice.program)}*, {mention(notice.ended_by)} left the workspace, so the pairing "
            f"of {mention(notice.mentor_id)} (mentor) and {mention(notice.mentee_id)} (mentee) has ended. "
            "Their partner was told kindly."
        )
        return Message(text=text, blocks=_admin_blocks(notice, text))
    text = (
        f"In *{escape(notice.program)}*, {mention(notice.ended_by)} ended the pairing of "
        f"{mention(notice.mentor_id)} (mentor) and {mention(notice.mentee_id)} (mentee), without blame."
    )
    return Message(text=text, blocks=_admin_blocks(notice, text))


def _admin_blocks(notice: n.PairEndedAdmin, text: str) -> list[dict[str, object]]:
    blocks = [_section(text)]
    if not notice.left:
        blocks.append(
            _section(f"*Their reason (only you see it):* {escape(notice.reason)}")
            if notice.reason
            else _context("No reason given.")
        )
    if not notice.options:
        blocks.append(_context("Nobody free fits either of them under the program's rules right now."))
    for k, (who, candidate, points) in enumerate(notice.options):
        ref = RepairRef(notice.pair_id, who, candidate)
        button = ButtonElement(text="Re-pair", action_id=f"{Action.PROGRAM_REPAIR}_{k}", value=ref.encode())
        blocks.append(
            SectionBlock(
                text=MarkdownTextObject(
                    text=f"{mention(who)} with {mention(candidate)} ({counted(points, 'preference point')})"
                ),
                accessory=button,
            ).to_dict()
        )
    blocks.append(_context("Past partners are never offered. Only you see this."))
    return blocks
