"""Block Kit for coffee pools: the "New coffee pool" modal and what its saving answers."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    Block,
    CheckboxesElement,
    ConversationFilter,
    ConversationSelectElement,
    InputBlock,
    Option,
    PlainTextInputElement,
    StaticSelectElement,
    TimePickerElement,
)
from slack_sdk.models.views import View

from app.domain.schedule import DAY_NAMES
from app.services.coffee import MODES, PoolView
from app.slack.blocks.format import counted, local_time
from app.slack.blocks.messages import Message, plain
from app.slack.ids import Block as BlockId
from app.slack.ids import Field
from app.slack.ids import View as ViewId
from app.slack.mrkdwn import escape
from app.slack.payloads import ProfileForm

MODE_LABELS = {
    "random": "Random groups",
    "senior": "Coffee with a senior",
    "two_sides": "Across two groups",
    "in_person": "In person (same office)",
    "lottery": "Lottery (fixed hosts + a draw)",
}
SETTINGS_HINT = (
    "Coffee with a senior: `level=3` (that level and above, 1-5). Across two groups: `sides=team:Eng|Sales`,"
    " `sides=office:Berlin|London`, `sides=level:1-2|3-5` or `sides=mentors`."
    " Lottery: `hosts=U0CEO draw=3` (one or two hosts by member ID, 1-5 drawn a round)."
)
HEADS_UP, NEVER_SAME_TEAM = "heads_up", "never_same_team"


def _select(field: Field, options: list[Option], initial: int = 0) -> StaticSelectElement:
    return StaticSelectElement(action_id=field, options=options, initial_option=options[initial])


def pool_modal(*, tz: str, form: ProfileForm) -> dict[str, Any]:
    every = [
        Option(value=str(n), text=t)
        for n, t in ((1, "Every week"), (2, "Every 2 weeks"), (4, "Every 4 weeks"))
    ]
    days = [Option(value=str(i), text=name) for i, name in enumerate(DAY_NAMES)]
    sizes = [Option(value=str(n), text=f"Groups of {n}") for n in range(2, 7)]
    windows = [Option(value=str(n), text=f"{n} rounds") for n in (2, 4, 6, 8, 12, 26)]
    modes = [Option(value=m, text=MODE_LABELS[m]) for m in MODES]
    options = [
        Option(value=HEADS_UP, text="Heads-up the day before (Skip / Pause / Leave)"),
        Option(value=NEVER_SAME_TEAM, text="Never two people of the same team"),
    ]
    blocks: list[Block] = [
        InputBlock(
            block_id=BlockId.POOL_NAME,
            label="Name",
            hint="One word: people join with it, e.g. `mentors`.",
            element=PlainTextInputElement(action_id=Field.POOL_NAME, max_length=40),
        ),
        InputBlock(
            block_id=BlockId.POOL_CHANNEL,
            label="Channel",
            optional=True,
            hint="Its members are in the pool. Leave empty: people join it themselves.",
            element=ConversationSelectElement(
                action_id=Field.POOL_CHANNEL, filter=ConversationFilter(include=["public", "private"])
            ),
        ),
        InputBlock(block_id=BlockId.POOL_EVERY, label="How often", element=_select(Field.POOL_EVERY, every)),
        InputBlock(block_id=BlockId.POOL_WEEKDAY, label="Day", element=_select(Field.POOL_WEEKDAY, days)),
        InputBlock(
            block_id=BlockId.POOL_TIME,
            label="Time",
            element=TimePickerElement(action_id=Field.POOL_TIME, initial_time="10:00"),
        ),
        InputBlock(
            block_id=BlockId.POOL_TZ,
            label="Time zone",
            hint="An IANA zone such as Europe/Berlin; the round runs at that local time.",
            element=PlainTextInputElement(action_id=Field.POOL_TZ, initial_value=tz, max_length=64),
        ),
        InputBlock(block_id=BlockId.POOL_SIZE, label="Group size", element=_select(Field.POOL_SIZE, sizes)),
        InputBlock(
            block_id=BlockId.POOL_WINDOW,
            label="No repeat within",
            element=_select(Field.POOL_WINDOW, windows, initial=2),
        ),
        InputBlock(block_id=BlockId.POOL_MODE, label="Mode", element=_select(Field.POOL_MODE, modes)),
        InputBlock(
            block_id=BlockId.POOL_SETTINGS,
            label="Mode settings",
            optional=True,
            hint=SETTINGS_HINT,
            element=PlainTextInputElement(action_id=Field.POOL_SETTINGS, max_length=300),
        ),
        InputBlock(
            block_id=BlockId.POOL_OPTIONS,
            label="Options",
            optional=True,
            element=CheckboxesElement(
                action_id=Field.POOL_OPTIONS, options=options, initial_options=[options[0]]
            ),
        ),
    ]
    return View(
        type="modal",
        callback_id=ViewId.COFFEE_POOL,
        title="New coffee pool",
        submit="Create",
        close="Cancel",
        private_metadata=form.encode(),
        blocks=blocks,
    ).to_dict()


def pool_created(view: PoolView, tz: str) -> Message:
    joined = counted(view.channels, "channel") if view.channels else "people who join it"
    return plain(
        f"Created the coffee pool *{escape(view.name)}* ({MODE_LABELS.get(view.mode, view.mode)}, groups of"
        f" {view.group_size}; members: {joined}). {view.schedule}; first round"
        f" {local_time(view.next_round, tz)}. People join with `/mentor coffee join`."
    )
