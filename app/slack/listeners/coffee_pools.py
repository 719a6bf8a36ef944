"""Coffee pools: `/mentor coffee pool new` opens the form (admins); its submission makes the pool."""

from __future__ import annotations

import re
from datetime import time
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from app.domain.errors import DomainError
from app.services.coffee import PoolSpec
from app.services.container import Services
from app.services.people import Person
from app.slack.blocks import coffee_pools as blocks
from app.slack.channel_sync import SlackChannelMembers
from app.slack.ids import Block, Field, View
from app.slack.listeners.modal import open_modal
from app.slack.listeners.views import confirm_privately
from app.slack.payloads import BadPayload, ProfileForm
from app.slack.people import PeopleDirectory

_SETTING = re.compile(r"^(level|sides|hosts|draw)=(\S+)$")


def register(app: App) -> None:
    app.view(View.COFFEE_POOL)(save_pool)


def open_pool_modal(
    client: WebClient,
    services: Services,
    person: Person,
    trigger_id: str,
    respond: Respond | None,
    *,
    channel_id: str | None,
) -> None:
    services.roulette.require_admin(person)  # a non-admin hears "no" before any form
    modal = blocks.pool_modal(tz=person.tz, form=ProfileForm(channel_id or None))
    open_modal(client, trigger_id, modal, respond, again="run `/mentor coffee pool new` again")


def _state(values: dict[str, Any], block: Block, field: Field) -> dict[str, Any]:
    return values.get(block, {}).get(field, {}) or {}


def _chosen(values: dict[str, Any], block: Block, field: Field) -> str:
    return str((_state(values, block, field).get("selected_option") or {}).get("value") or "")


def read_mode_settings(text: str) -> dict[str, Any]:
    """``level=3 sides=team:Eng|Sales hosts=U1,U2 draw=3`` as a dict; ValueError names what's wrong."""
    settings: dict[str, Any] = {}
    for word in text.split():
        match = _SETTING.match(word)
        if match is None:
            raise ValueError(f"I can't read “{word[:30]}”: use level=, sides=, hosts= or draw=.")
        key, value = match.groups()
        if key in ("level", "draw"):
            if not value.isdigit():
                raise ValueError(f"{key}= takes a number.")
            settings[key] = int(value)
        elif key == "hosts":
            settings[key] = [h.strip("<@>").split("|")[0] for h in value.split(",") if h]
        else:
            settings[key] = value
    return settings


def read_pool_form(values: dict[str, Any], tz: str) -> tuple[PoolSpec | None, dict[str, str]]:
    errors: dict[str, str] = {}
    name = str(_state(values, Block.POOL_NAME, Field.POOL_NAME).get("value") or "")
    channel = _state(values, Block.POOL_CHANNEL, Field.POOL_CHANNEL).get("selected_conversation")
    numbers = {}
    for block, field in (
        (Block.POOL_EVERY, Field.POOL_EVERY),
        (Block.POOL_WEEKDAY, Field.POOL_WEEKDAY),
        (Block.POOL_SIZE, Field.POOL_SIZE),
        (Block.POOL_WINDOW, Field.POOL_WINDOW),
    ):
        chosen = _chosen(values, block, field)
        if not chosen.isdigit():
            errors[block] = "Pick one."
        numbers[block] = int(chosen) if chosen.isdigit() else 0
    try:
        at = time.fromisoformat(str(_state(values, Block.POOL_TIME, Field.POOL_TIME).get("selected_time")))
    except ValueError:
        errors[Block.POOL_TIME] = "Pick a time."
        at = time(10)
    zone = str(_state(values, Block.POOL_TZ, Field.POOL_TZ).get("value") or tz).strip()
    try:
        settings = read_mode_settings(
            str(_state(values, Block.POOL_SETTINGS, Field.POOL_SETTINGS).get("value") or "")
        )
    except ValueError as exc:
        errors[Block.POOL_SETTINGS] = str(exc)
        settings = {}
    ticked = {
        o.get("value")
        for o in _state(values, Block.POOL_OPTIONS, Field.POOL_OPTIONS).get("selected_options") or []
    }
    if errors:
        return None, errors
    spec = PoolSpec(
        name=name,
        every_weeks=numbers[Block.POOL_EVERY],
        weekday=numbers[Block.POOL_WEEKDAY],
        at=at,
        tz=zone,
        group_size=numbers[Block.POOL_SIZE],
        repeat_window=numbers[Block.POOL_WINDOW],
        mode=_chosen(values, Block.POOL_MODE, Field.POOL_MODE),
        heads_up=blocks.HEADS_UP in ticked,
        never_same_team=blocks.NEVER_SAME_TEAM in ticked,
        channel_id=str(channel) if channel else None,
        settings=settings,
    )
    return spec, {}


def save_pool(
    ack: Ack,
    body: dict[str, Any],
    view: dict[str, Any],
    client: WebClient,
    services: Services,
    people: PeopleDirectory,
) -> None:
    person = people.get(body["user"]["id"])
    spec, errors = read_pool_form(view["state"]["values"], person.tz)
    if spec is None:
        ack(response_action="errors", errors=errors)
        return
    try:
        created = services.roulette.create_pool_and_sync(person, spec, SlackChannelMembers(client).humans_in)
    except DomainError as exc:  # a taken name, a zone we don't know, a mode's missing setting, not an admin
        ack(response_action="errors", errors={_block_for(exc.message): exc.message})
        return
    ack()
    try:
        channel_id = ProfileForm.decode(view.get("private_metadata") or "").channel_id
    except BadPayload:
        channel_id = None
    confirm_privately(client, person.user_id, channel_id, blocks.pool_created(created, person.tz))


def _block_for(message: str) -> Block:
    lowered = message.lower()
    for words, block in (
        (("time zone",), Block.POOL_TZ),
        (("mode is one of",), Block.POOL_MODE),
        (("groups are",), Block.POOL_SIZE),
        (("level=", "sides=", "hosts=", "draw="), Block.POOL_SETTINGS),
        (("every 1, 2 or 4",), Block.POOL_EVERY),
    ):
        if any(w in lowered for w in words):
            return block
    return Block.POOL_NAME
