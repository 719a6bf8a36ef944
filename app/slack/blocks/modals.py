"""Modals: the mentor profile form, the private note, the ask form."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    CheckboxesElement,
    InputBlock,
    MarkdownTextObject,
    NumberInputElement,
    Option,
    PlainTextInputElement,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from app.domain.formats import MAX_LINK
from app.domain.model import DEFAULT_CAPACITY_PER_WEEK, DEFAULT_WINDOWS, MAX_GOAL_LENGTH
from app.domain.windows import format_windows
from app.services.feedback import MAX_NOTE
from app.services.register import MAX_BIO, MAX_CAPACITY, ProfileView
from app.slack.ids import Block, Field
from app.slack.ids import View as ViewId
from app.slack.payloads import AskForm, NoteForm, ProfileForm

LEVELS = {1: "Junior", 2: "Mid-level", 3: "Senior", 4: "Staff / Lead", 5: "Principal / Director"}
REVERSE_VALUE = "reverse_ok"
MAX_TEAM = 100  # the members.team column
MAX_TOPICS_FIELD = 200


def team_and_level_inputs(team: str | None, level: int | None) -> list[InputBlock]:
    """The two optional fields a person's team and level are asked in (mentor profile, "About you")."""
    options = [Option(value=str(k), text=v) for k, v in LEVELS.items()]
    return [
        InputBlock(
            block_id=Block.TEAM,
            label="Team",
            optional=True,
            element=PlainTextInputElement(
                action_id=Field.TEAM, max_length=MAX_TEAM, initial_value=(team or "")[:MAX_TEAM] or None
            ),
        ),
        InputBlock(
            block_id=Block.LEVEL,
            label="Level",
            optional=True,
            element=StaticSelectElement(
                action_id=Field.LEVEL,
                options=options,
                initial_option=next((o for o in options if level and o.value == str(level)), None),
                placeholder="Pick your level",
            ),
        ),
    ]


def profile_modal(
    view: ProfileView | None,
    *,
    tz: str,
    extra_topics: tuple[str, ...] = (),
    form: ProfileForm = ProfileForm(),  # noqa: B008 - frozen, so one shared default is safe
) -> dict[str, Any]:
    topics = ", ".join(dict.fromkeys([*(view.topics if view else ()), *extra_topics]))
    windows = view.windows if view else DEFAULT_WINDOWS
    reverse = Option(value=REVERSE_VALUE, text="Open to reverse mentoring (mentoring someone more senior)")
    blocks = [
        InputBlock(
            block_id=Block.TOPICS,
            label="Topics you can help with",
            hint="Separate with commas, e.g. python, career, on-call",
            element=PlainTextInputElement(
                action_id=Field.TOPICS, initial_value=topics or None, max_length=MAX_TOPICS_FIELD
            ),
        ),
        InputBlock(
            block_id=Block.BIO,
            label="A short bio",
            optional=True,
            element=PlainTextInputElement(
                action_id=Field.BIO,
                multiline=True,
                max_length=MAX_BIO,
                # Slack refuses a modal whose initial_value exceeds max_length: never let old data do that.
                initial_value=(view.bio[:MAX_BIO] or None) if view else None,
            ),
        ),
        InputBlock(
            block_id=Block.MEETING_LINK,
            label="Your meeting link",
            optional=True,
            hint="An https:// link for your online 1:1s and sessions; empty: we'll meet in the group DM.",
            element=PlainTextInputElement(
                action_id=Field.MEETING_LINK,
                max_length=MAX_LINK,
                initial_value=((view.meeting_link or "")[:MAX_LINK] or None) if view else None,
            ),
        ),
        InputBlock(
            block_id=Block.WINDOWS,
            label=f"When you're free each week ({tz})",
            hint="e.g. Mon-Fri 09:00-12:00, Thu 14:00-17:00. Times are in your Slack time zone.",
            element=PlainTextInputElement(action_id=Field.WINDOWS, initial_value=format_windows(windows)),
        ),
        InputBlock(
            block_id=Block.CAPACITY,
            label="Conversations per week, at most",
            element=NumberInputElement(
                action_id=Field.CAPACITY,
                is_decimal_allowed=False,
                min_value="0",
                max_value=str(MAX_CAPACITY),
                initial_value=str(view.capacity_per_week if view else DEFAULT_CAPACITY_PER_WEEK),
            ),
        ),
        *team_and_level_inputs(view.team if view else None, view.level if view else None),
        InputBlock(
            block_id=Block.REVERSE,
            label="Reverse mentoring",
            optional=True,
            element=CheckboxesElement(
                action_id=Field.REVERSE,
                options=[reverse],
                initial_options=[reverse] if (view is None or view.reverse_ok) else None,
            ),
        ),
    ]
    return View(
        type="modal",
        callback_id=ViewId.PROFILE,
        private_metadata=form.encode(),  # where to confirm the save
        title="Mentor profile",
        submit="Save",
        close="Cancel",
        blocks=blocks,
    ).to_dict()


def note_modal(meeting_id: int, current: str | None) -> dict[str, Any]:
    """A private note on one conversation: readable by its author alone."""
    return View(
        type="modal",
        callback_id=ViewId.FEEDBACK_NOTE,
        private_metadata=NoteForm(meeting_id).encode(),
        title="Private note",
        submit="Save",
        close="Cancel",
        blocks=[
            InputBlock(
                block_id=Block.NOTE,
                label="Your note",
                hint="Only you can read it. Leave it empty to delete the note.",
                optional=True,
                element=PlainTextInputElement(
                    action_id=Field.NOTE,
                    multiline=True,
                    max_length=MAX_NOTE,
                    initial_value=(current or "")[:MAX_NOTE] or None,
                ),
            )
        ],
    ).to_dict()


REVERSE_ASK = "reverse"
LUNCH_ASK = "lunch"  # in person: an hour's lunch at the asker's office (#12)


def _reverse_choice() -> InputBlock:
    reverse = Option(
        value=REVERSE_ASK, text="Reverse mentoring: a colleague two or more levels junior, in another team"
    )
    lunch = Option(value=LUNCH_ASK, text="In person: an hour's lunch at my office, on a day the mentor is in")
    return InputBlock(
        block_id=Block.ASK_KIND,
        label="Kind of mentoring",
        optional=True,
        hint="A lunch is in person with a mentor of your office (set yours in `/mentor about`).",
        element=CheckboxesElement(action_id=Field.ASK_KIND, options=[reverse, lunch]),
    )


def ask_modal(mentor_id: str | None = None, topics: tuple[str, ...] = ()) -> dict[str, Any]:
    """The App Home's "Ask for a mentor": the same goal and topics as `/mentor ask`. Opened from the
    register's "Ask" button it is aimed at that mentor (kept in private_metadata) with the list's topics."""
    aimed: list[SectionBlock] = []
    if mentor_id:
        aimed.append(
            SectionBlock(text=MarkdownTextObject(text=f"A 15-minute conversation with <@{mentor_id}>."))
        )
    return View(
        type="modal",
        callback_id=ViewId.ASK,
        title="Ask for a mentor",
        submit="Find a slot" if mentor_id else "Find mentors",
        close="Cancel",
        private_metadata=AskForm(mentor_id).encode(),
        blocks=[
            *aimed,
            InputBlock(
                block_id=Block.GOAL,
                label="What would you like to get out of a 15-minute conversation?",
                element=PlainTextInputElement(
                    action_id=Field.GOAL,
                    max_length=MAX_GOAL_LENGTH,
                    placeholder="How do I prepare for on-call?",
                ),
            ),
            InputBlock(
                block_id=Block.ASK_TOPICS,
                label="Topics",
                hint="Optional, separated by commas, e.g. sre, on-call",
                optional=True,
                element=PlainTextInputElement(
                    action_id=Field.ASK_TOPICS,
                    max_length=MAX_TOPICS_FIELD,
                    initial_value=", ".join(topics)[:MAX_TOPICS_FIELD] or None,
                ),
            ),
            *([] if mentor_id else [_reverse_choice()]),
        ],
    ).to_dict()
