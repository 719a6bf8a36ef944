"""After a hosted session: the three questions (a notice), the thanks a click gets, the host's average."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
    SectionBlock,
)

from app.services import notices as n
from app.services.session_feedback import SessionAnswers
from app.slack.blocks.format import local_time, mention
from app.slack.blocks.messages import Message
from app.slack.ids import Action
from app.slack.mrkdwn import escape
from app.slack.payloads import SessionRef

GOT_WORDS = {"yes": "Yes", "partly": "Partly", "no": "No"}


def _section(text: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=text))


def _buttons(block_id: str, session_id: int, choices: list[tuple[str, str]]) -> ActionsBlock:
    ref = SessionRef(session_id).encode()
    return ActionsBlock(
        block_id=block_id,
        elements=[
            ButtonElement(text=label, action_id=f"{Action.SESSION_ANSWER}_{choice}", value=ref)
            for choice, label in choices
        ],
    )


def _questions(session_id: int, *, attended: bool, rating: bool, got: bool) -> list[Block]:
    blocks: list[Block] = []
    if attended:
        blocks += [
            _section("Did you attend?"),
            _buttons("session_attended", session_id, [("attended_yes", "Yes"), ("attended_no", "No")]),
        ]
    if rating:
        blocks += [
            _section("How was it, from 1 to 5?"),
            _buttons("session_rating", session_id, [(f"rating_{k}", "★" * k) for k in range(1, 6)]),
        ]
    if got:
        blocks += [
            _section("Did you get what you came for?"),
            _buttons("session_got", session_id, [(f"got_{k}", w) for k, w in GOT_WORDS.items()]),
        ]
    return blocks


PRIVATE = (
    "The host only ever sees the average rating, once three people answered; admins see totals per format."
)


def question(notice: n.SessionFeedbackQuestion) -> Message:
    text = (
        f"How was “{escape(notice.title)}” with {mention(notice.host_id)}, "
        f"{local_time(notice.start, notice.tz)}?"
    )
    blocks: list[Block] = [
        _section(text),
        *_questions(notice.session_id, attended=True, rating=True, got=True),
        ContextBlock(elements=[MarkdownTextObject(text=PRIVATE)]),
    ]
    return Message(text=text, blocks=[b.to_dict() for b in blocks])


def thanks(answers: SessionAnswers) -> Message:
    """What is noted so far, and the questions still open."""
    noted = []
    if answers.attended is not None:
        noted.append("attended" if answers.attended else "didn't attend")
    if answers.rating is not None:
        noted.append(f"rating {'★' * answers.rating}")
    if answers.got_it is not None:
        noted.append(f"got what you came for: {GOT_WORDS[answers.got_it].lower()}")
    title = escape(answers.title)
    if answers.changed:
        text = f"Thanks! For “{title}” I've noted: {', '.join(noted)}."
    else:
        text = f"Already noted for “{title}”, thanks: {', '.join(noted)}. Nothing changed."
    blocks: list[Block] = [
        _section(text),
        *_questions(
            answers.session_id,
            attended=answers.attended is None,
            rating=answers.rating is None,
            got=answers.got_it is None,
        ),
    ]
    return Message(text=text, blocks=[b.to_dict() for b in blocks])


def rating_for_host(notice: n.SessionRatingForHost) -> Message:
    text = (
        f"“{escape(notice.title)}”, which you hosted, is rated {notice.average:.1f} / 5 on average "
        f"by {notice.ratings} people. Thank you for hosting!"
    )
    return Message(text=text, blocks=[_section(f":star: {text}").to_dict()])
