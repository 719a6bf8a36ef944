"""`/mentor about` and the Home's "About you": open the modal, read it back, save, confirm privately."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from app.domain.errors import InvalidInput
from app.domain.model import WeeklyWindow
from app.domain.windows import parse_windows
from app.services.container import Services
from app.services.people import Person
from app.slack.blocks import messages
from app.slack.blocks.about import NO_OFFICE, about_modal, about_saved
from app.slack.ids import Action, Block, Field, View
from app.slack.listeners.answer import from_home
from app.slack.listeners.modal import open_modal
from app.slack.listeners.views import confirm_privately, read_team_and_level
from app.slack.payloads import BadPayload, ProfileForm
from app.slack.people import PeopleDirectory


def register(app: App) -> None:
    app.view(View.ABOUT)(save_about)
    app.action(Action.HOME_ABOUT)(open_from_home)


def open_about_modal(
    client: WebClient,
    services: Services,
    person: Person,
    trigger_id: str,
    respond: Respond | None,
    *,
    channel_id: str | None,
) -> None:
    about = services.about.about(person)
    modal = about_modal(about, form=ProfileForm(channel_id or None))
    open_modal(client, trigger_id, modal, respond, again="run `/mentor about` again")


def open_from_home(
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    respond: Respond,
    services: Services,
    people: PeopleDirectory,
) -> None:
    ack()
    person = people.get(body["user"]["id"])
    where = None if from_home(body) else respond
    open_about_modal(client, services, person, body["trigger_id"], where, channel_id=None)


def _value(values: dict[str, Any], block: Block, field: Field) -> dict[str, Any]:
    return values.get(block, {}).get(field, {}) or {}


@dataclass(frozen=True, slots=True)
class AboutForm:
    hours: tuple[WeeklyWindow, ...]
    team: str | None
    level: int | None
    office: str | None
    office_days: tuple[int, ...]


def read_about_form(
    values: dict[str, Any], offices: Collection[str]
) -> tuple[AboutForm | None, dict[str, str]]:
    """The modal's state, or per-block error messages (Slack shows them under the fields)."""
    errors: dict[str, str] = {}
    hours: tuple[WeeklyWindow, ...] = ()
    try:
        hours = parse_windows(_value(values, Block.HOURS, Field.HOURS).get("value") or "")
        if not hours:
            raise InvalidInput("Give at least one stretch of the week, e.g. Mon-Fri 09:00-17:00.")
    except InvalidInput as exc:
        errors[Block.HOURS] = exc.message
    team, level = read_team_and_level(values, errors)
    office_option = _value(values, Block.OFFICE, Field.OFFICE).get("selected_option") or {}
    office = str(office_option.get("value") or NO_OFFICE)
    if office != NO_OFFICE and office not in offices:  # removed since the form opened, or forged
        errors[Block.OFFICE] = "That office isn't on the list any more; pick another."
    picked = _value(values, Block.OFFICE_DAYS, Field.OFFICE_DAYS).get("selected_options") or []
    days = tuple(sorted({int(v) for o in picked if (v := str(o.get("value"))).isdigit() and int(v) <= 6}))
    if errors:
        return None, errors
    chosen = None if office == NO_OFFICE else office
    return AboutForm(hours, team, level, chosen, days if chosen else ()), {}


def save_about(
    ack: Ack,
    body: dict[str, Any],
    view: dict[str, Any],
    client: WebClient,
    services: Services,
    people: PeopleDirectory,
) -> None:
    offices = {o.name for o in services.offices.offices()}
    data, errors = read_about_form(view["state"]["values"], offices)
    if data is None:
        ack(response_action="errors", errors=errors)
        return
    ack()
    person = people.get(body["user"]["id"])
    saved = services.about.save(
        person,
        hours=data.hours,
        team=data.team,
        level=data.level,
        office=data.office,
        office_days=data.office_days,
    )
    try:
        channel_id = ProfileForm.decode(view.get("private_metadata") or "").channel_id
    except BadPayload:  # forged or from another era: confirm in our DM
        channel_id = None
    confirm_privately(client, person.user_id, channel_id, messages.plain(about_saved(saved)))
