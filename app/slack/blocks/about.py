"""The "about you" modal: a person's working hours, team and level (`/mentor about`, the Home)."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    CheckboxesElement,
    InputBlock,
    Option,
    PlainTextInputElement,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from app.domain.offices import DAY_NAMES, days_words
from app.domain.windows import format_windows
from app.services.members import AboutYou
from app.slack.blocks.modals import team_and_level_inputs
from app.slack.ids import Block, Field
from app.slack.ids import View as ViewId
from app.slack.mrkdwn import escape
from app.slack.payloads import ProfileForm

MAX_HOURS_FIELD = 300
NO_OFFICE = "none"


def about_modal(about: AboutYou, *, form: ProfileForm) -> dict[str, Any]:
    return View(
        type="modal",
        callback_id=ViewId.ABOUT,
        title="About you",
        submit="Save",
        close="Cancel",
        private_metadata=form.encode(),
        blocks=[
            InputBlock(
                block_id=Block.HOURS,
                label=f"Your working hours ({about.tz})",
                hint=(
                    "Slots you're offered fall inside these and the mentor's. "
                    "e.g. Mon-Fri 08:30-16:30. Times are in your Slack time zone."
                ),
                element=PlainTextInputElement(
                    action_id=Field.HOURS,
                    max_length=MAX_HOURS_FIELD,
                    initial_value=format_windows(about.hours)[:MAX_HOURS_FIELD],
                ),
            ),
            *_office_blocks(about),
            *team_and_level_inputs(about.team, about.level),
        ],
    ).to_dict()


def _office_blocks(about: AboutYou) -> list[InputBlock]:
    """Where they work and the days they're usually in; only once admins have listed offices."""
    if not about.offices:
        return []
    options = [Option(value=NO_OFFICE, text="No office (remote)")] + [
        Option(value=name, text=name) for name in about.offices
    ]
    current = next((o for o in options if o.value == (about.office or NO_OFFICE)), options[0])
    days = [Option(value=str(i), text=name) for i, name in enumerate(DAY_NAMES)]
    chosen_days = [o for o in days if int(o.value) in about.office_days]
    return [
        InputBlock(
            block_id=Block.OFFICE,
            label="Your office",
            element=StaticSelectElement(action_id=Field.OFFICE, options=options, initial_option=current),
        ),
        InputBlock(
            block_id=Block.OFFICE_DAYS,
            label="The days you're usually there",
            optional=True,
            element=CheckboxesElement(
                action_id=Field.OFFICE_DAYS, options=days, initial_options=chosen_days or None
            ),
        ),
    ]


def about_saved(about: AboutYou) -> str:
    hours = format_windows(about.hours)
    default = "" if about.hours_set else " (the default)"
    saved = f"Saved. Your working hours: *{hours}*{default}, {about.tz}. Slots I offer you fall inside them."
    if about.office:
        days = f", usually in on {days_words(about.office_days)}" if about.office_days else ""
        saved += f"\nYour office: *{escape(about.office)}*{days}."
    return saved
