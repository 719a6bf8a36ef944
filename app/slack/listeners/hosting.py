"""Hosted sessions: `/mentor host` opens the form and its submission hosts; Join, Leave and Cancel
buttons take, free or call off a seat. Each acks, reads, makes one service call and answers privately."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime, time, timedelta
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from app.domain.errors import DomainError
from app.domain.formats import Format, PlanError, SessionPlan, Where
from app.services.container import Services
from app.services.people import Person
from app.slack.after_ack import AfterAck
from app.slack.blocks import hosting as blocks
from app.slack.blocks.format import zone
from app.slack.blocks.messages import Message
from app.slack.home import HomePublisher
from app.slack.ids import Action, Block, Field, View
from app.slack.listeners.answer import from_home
from app.slack.listeners.modal import open_modal
from app.slack.listeners.views import confirm_privately
from app.slack.payloads import BadPayload, ProfileForm, SessionRef
from app.slack.people import PeopleDirectory
from app.slack.topics import parse_topics

# Which form block shows a rule's message (PlanError.field).
_FIELD_BLOCKS = {
    "title": Block.SESSION_TITLE,
    "start": Block.SESSION_DATE,
    "length": Block.SESSION_LENGTH,
    "seats": Block.SESSION_SEATS,
    "where": Block.SESSION_WHERE,
    "link": Block.SESSION_LINK,
    "office": Block.SESSION_OFFICE,
    "place": Block.SESSION_PLACE,
    "description": Block.SESSION_DESCRIPTION,
    "check_ins": Block.SESSION_CHECK_INS,
}


def register(app: App) -> None:
    app.action(Action.JOIN_SESSION)(join)  # first: Bolt tries listeners in this order (see app.py)
    app.action(Action.LEAVE_SESSION)(leave)
    app.action(Action.CANCEL_SESSION)(cancel)
    app.view(View.HOST)(save_host)
    app.action(Action.HOME_HOST)(open_from_home)


def open_host_modal(
    client: WebClient,
    services: Services,
    person: Person,
    trigger_id: str,
    respond: Respond | None,
    *,
    channel_id: str | None,
) -> None:
    offices = services.hosting.offices_for_host(person)  # refuses someone not on the register
    modal = blocks.host_modal(tz=person.tz, offices=offices, form=ProfileForm(channel_id or None))
    open_modal(client, trigger_id, modal, respond, again="run `/mentor host` again")


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
    open_host_modal(
        client, services, person, body["trigger_id"], None if from_home(body) else respond, channel_id=None
    )


def _state(values: dict[str, Any], block: Block, field: Field) -> dict[str, Any]:
    return values.get(block, {}).get(field, {}) or {}


def _text(values: dict[str, Any], block: Block, field: Field) -> str:
    return str(_state(values, block, field).get("value") or "")


def _chosen(values: dict[str, Any], block: Block, field: Field) -> str:
    return str((_state(values, block, field).get("selected_option") or {}).get("value") or "")


def read_host_form(
    values: dict[str, Any], tz: str, offices: Collection[str]
) -> tuple[tuple[SessionPlan, tuple[str, ...]] | None, dict[str, str]]:
    """The form as a plan and its topics, or per-block messages for what can't be read at all (the
    plan's rules are the domain's, checked by the service)."""
    errors: dict[str, str] = {}
    try:
        session_format = Format(_chosen(values, Block.SESSION_FORMAT, Field.SESSION_FORMAT))
    except ValueError:
        errors[Block.SESSION_FORMAT] = "Pick one of the formats."
        session_format = Format.GROUP
    try:
        day = date.fromisoformat(
            str(_state(values, Block.SESSION_DATE, Field.SESSION_DATE).get("selected_date"))
        )
    except ValueError:
        errors[Block.SESSION_DATE] = "Pick a date."
        day = date(2000, 1, 1)
    try:
        at = time.fromisoformat(
            str(_state(values, Block.SESSION_TIME, Field.SESSION_TIME).get("selected_time"))
        )
    except ValueError:
        errors[Block.SESSION_TIME] = "Pick a start time."
        at = time(12)
    length, seats = (_chosen(values, b, f) for b, f in _NUMBERS)
    if not length.isdigit() or int(length) > 24 * 60:
        errors[Block.SESSION_LENGTH] = "Pick a length."
    if not seats.isdigit() or int(seats) > 100:
        errors[Block.SESSION_SEATS] = "Pick how many seats."
    try:
        where = Where(_chosen(values, Block.SESSION_WHERE, Field.SESSION_WHERE))
    except ValueError:
        errors[Block.SESSION_WHERE] = "Online or in person?"
        where = Where.ONLINE
    office = _chosen(values, Block.SESSION_OFFICE, Field.SESSION_OFFICE) or None
    if where == Where.IN_PERSON and not offices:
        errors[Block.SESSION_WHERE] = "There are no offices yet (an admin adds them): host it online."
    elif where == Where.IN_PERSON and office is None:
        errors[Block.SESSION_OFFICE] = "Pick the office it's at."
    topics: tuple[str, ...] = ()
    try:
        topics = parse_topics(_text(values, Block.SESSION_TOPICS, Field.SESSION_TOPICS))
    except DomainError as exc:
        errors[Block.SESSION_TOPICS] = exc.message
    if errors:
        return None, errors
    start = datetime.combine(day, at, tzinfo=zone(tz))
    plan = SessionPlan(
        format=session_format,
        title=_text(values, Block.SESSION_TITLE, Field.SESSION_TITLE),
        start=start,
        length=timedelta(minutes=int(length)),
        seats=int(seats),
        where=where,
        link=_text(values, Block.SESSION_LINK, Field.SESSION_LINK) or None,
        office=office if where == Where.IN_PERSON else None,
        place=_text(values, Block.SESSION_PLACE, Field.SESSION_PLACE) or None,
        description=_text(values, Block.SESSION_DESCRIPTION, Field.SESSION_DESCRIPTION),
        check_ins=bool(
            _state(values, Block.SESSION_CHECK_INS, Field.SESSION_CHECK_INS).get("selected_options")
        ),
    )
    return (plan, topics), {}


_CHECK_INS = (Block.SESSION_CHECK_INS, Field.SESSION_CHECK_INS)
_NUMBERS = ((Block.SESSION_LENGTH, Field.SESSION_LENGTH), (Block.SESSION_SEATS, Field.SESSION_SEATS))


def save_host(
    ack: Ack,
    body: dict[str, Any],
    view: dict[str, Any],
    client: WebClient,
    services: Services,
    people: PeopleDirectory,
) -> None:
    person = people.get(body["user"]["id"])
    offices = {o.name for o in services.offices.offices()}
    read, errors = read_host_form(view["state"]["values"], person.tz, offices)
    if read is None:
        ack(response_action="errors", errors=errors)
        return
    plan, topics = read
    try:
        hosted = services.hosting.host(person, plan, topics)
    except PlanError as exc:
        block = _FIELD_BLOCKS.get(exc.field, Block.SESSION_TITLE)
        if block == Block.SESSION_OFFICE and not offices:
            block = Block.SESSION_WHERE
        ack(response_action="errors", errors={block: exc.message})
        return
    except DomainError as exc:  # not on the register (any more), too many topics
        ack(response_action="errors", errors={Block.SESSION_TITLE: exc.message})
        return
    ack()
    try:
        channel_id = ProfileForm.decode(view.get("private_metadata") or "").channel_id
    except BadPayload:
        channel_id = None
    confirm_privately(client, person.user_id, channel_id, blocks.hosted(hosted, person.tz))


def _clicked(body: dict[str, Any]) -> SessionRef:
    return SessionRef.decode(str((body.get("actions") or [{}])[0].get("value") or ""))


def _tell(
    body: dict[str, Any], respond: Respond, client: WebClient, home: HomePublisher, message: Message
) -> None:
    """Only the person sees it: an ephemeral answer where they clicked, or (a click on the Home) our DM
    and their Home republished."""
    if body.get("response_url"):
        respond(response_type="ephemeral", replace_original=False, **message.as_kwargs())
        return
    client.chat_postMessage(channel=body["user"]["id"], **message.as_kwargs())
    if from_home(body):
        home.publish(body["user"]["id"])


def join(
    ack: Ack,
    body: dict[str, Any],
    respond: Respond,
    client: WebClient,
    services: Services,
    people: PeopleDirectory,
    home: HomePublisher,
    after_ack: AfterAck,
) -> None:
    """Acks at once; the seat is taken after the ack (a burst of clicks on the last seats must not
    hold up each other's acks), and the answer goes where they clicked."""
    ack()
    ref = _clicked(body)

    def take_seat() -> None:
        person = people.get(body["user"]["id"])
        _tell(
            body,
            respond,
            client,
            home,
            blocks.joined(services.hosting.join(person, ref.session_id), person.tz),
        )

    after_ack.run(take_seat, respond=_respond_if_any(body, respond))


def leave(
    ack: Ack,
    body: dict[str, Any],
    respond: Respond,
    client: WebClient,
    services: Services,
    people: PeopleDirectory,
    home: HomePublisher,
    after_ack: AfterAck,
) -> None:
    ack()
    ref = _clicked(body)

    def give_up_seat() -> None:
        person = people.get(body["user"]["id"])
        _tell(
            body,
            respond,
            client,
            home,
            blocks.left(services.hosting.leave(person, ref.session_id), person.tz),
        )

    after_ack.run(give_up_seat, respond=_respond_if_any(body, respond))


def cancel(
    ack: Ack,
    body: dict[str, Any],
    respond: Respond,
    client: WebClient,
    services: Services,
    people: PeopleDirectory,
    home: HomePublisher,
    after_ack: AfterAck,
) -> None:
    ack()
    ref = _clicked(body)

    def call_off() -> None:
        person = people.get(body["user"]["id"])
        cancelled = services.hosting.cancel(person, ref.session_id)
        _tell(body, respond, client, home, blocks.cancelled(cancelled, person.tz))

    after_ack.run(call_off, respond=_respond_if_any(body, respond))


def _respond_if_any(body: dict[str, Any], respond: Respond) -> Respond | None:
    """Where an error is told: the click's response_url; a Home click has none (as the app's handler)."""
    return respond if body.get("response_url") else None
