"""Buttons: ack at once, decode the small payload in the value, call one service, render.

A button clicked twice, late, or after its request changed reaches a service that refuses with a
Conflict; the message is then replaced by what actually happened, so stale buttons disappear.
"""

from __future__ import annotations

import contextlib
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from app.domain.errors import Conflict, NotFound
from app.domain.model import GoalMet
from app.services.container import Services
from app.services.mentoring import SlotTaken
from app.slack.blocks import directory, feedback, messages
from app.slack.blocks import register as register_blocks
from app.slack.blocks.modals import ask_modal, note_modal
from app.slack.home import HomePublisher
from app.slack.ids import (
    ASK_MENTOR_PATTERN,
    DIRECTORY_PAGE_PATTERN,
    GOAL_MET_PATTERN,
    PICK_SLOT_PATTERN,
    RATE_PATTERN,
    Action,
)
from app.slack.listeners.answer import answer, from_home
from app.slack.listeners.commands import open_profile_modal
from app.slack.listeners.modal import open_modal
from app.slack.payloads import AskRef, Availability, DirectoryPageRef, MeetingRef, MentorPick, SlotPick
from app.slack.people import PeopleDirectory


def register(app: App) -> None:
    app.action(PICK_SLOT_PATTERN)(pick_slot)
    app.action(Action.ACCEPT_REQUEST)(accept_request)
    app.action(Action.DECLINE_REQUEST)(decline_request)
    app.action(Action.CANCEL_MEETING)(cancel_meeting)
    app.action(Action.SHOW_OPTIONS)(show_options)
    app.action(Action.LEAVE_CONFIRM)(leave_confirm)
    app.action(Action.LEAVE_STAY)(leave_stay)
    app.action(Action.EDIT_PROFILE)(edit_profile)
    app.action(RATE_PATTERN)(rate)
    app.action(GOAL_MET_PATTERN)(goal_met)
    app.action(Action.FEEDBACK_NOTE)(open_note)
    app.action(Action.NOT_A_GOOD_FIT)(not_a_good_fit)
    app.action(Action.HOME_ASK)(open_ask)
    app.action(Action.MENTOR_AVAILABLE)(toggle_available)
    app.action(DIRECTORY_PAGE_PATTERN)(directory_page)
    app.action(ASK_MENTOR_PATTERN)(ask_mentor)
    app.action(Action.HOME_BROWSE)(browse_from_home)
    # Link buttons ("Add to Google Calendar") open in the browser; Slack still tells us of the click.
    app.action(Action.CALENDAR_GOOGLE)(_ack_only)
    app.action(Action.CALENDAR_OUTLOOK)(_ack_only)


def _ack_only(ack: Ack) -> None:
    ack()


def _action(body: dict[str, Any]) -> dict[str, Any]:
    return body["actions"][0]


def _value(body: dict[str, Any]) -> str:
    return str(_action(body).get("value", ""))


def _meeting_id(body: dict[str, Any]) -> int:
    return MeetingRef.decode(_value(body)).meeting_id


def _replace(respond: Respond, message: messages.Message) -> None:
    respond(replace_original=True, **message.as_kwargs())


def pick_slot(
    ack: Ack, body: dict[str, Any], respond: Respond, services: Services, people: PeopleDirectory
) -> None:
    ack()
    slot = SlotPick.decode(_value(body))
    person = people.get(body["user"]["id"])
    try:
        view = services.mentoring.request_slot(person, slot.ask_id, slot.mentor_id, slot.start)
    except SlotTaken as taken:
        _replace(
            respond, messages.ask_offers(taken.outcome, lead=":hourglass: Sorry, that slot was just taken.")
        )
        return
    _replace(respond, messages.request_sent(view, person.tz))


def accept_request(
    ack: Ack,
    body: dict[str, Any],
    respond: Respond,
    services: Services,
    people: PeopleDirectory,
    home: HomePublisher,
) -> None:
    ack()
    person = people.get(body["user"]["id"])
    try:
        view = services.mentoring.accept(person, _meeting_id(body))
    except (Conflict, NotFound) as exc:
        answer(body, respond, home, messages.plain(exc.message))
        return
    done = "accepted :white_check_mark: I've started a group DM with you both"
    answer(body, respond, home, messages.request_answered(view.other_id, done))


def decline_request(
    ack: Ack,
    body: dict[str, Any],
    respond: Respond,
    services: Services,
    people: PeopleDirectory,
    home: HomePublisher,
) -> None:
    ack()
    person = people.get(body["user"]["id"])
    try:
        view = services.mentoring.decline(person, _meeting_id(body))
    except (Conflict, NotFound) as exc:
        answer(body, respond, home, messages.plain(exc.message))
        return
    answer(
        body,
        respond,
        home,
        messages.request_answered(view.other_id, "declined. They'll be offered other mentors"),
    )


def cancel_meeting(
    ack: Ack,
    body: dict[str, Any],
    respond: Respond,
    services: Services,
    people: PeopleDirectory,
    home: HomePublisher,
) -> None:
    ack()
    person = people.get(body["user"]["id"])
    meeting_id = _meeting_id(body)
    if from_home(body):
        with contextlib.suppress(Conflict, NotFound):  # the refreshed Home shows how things stand
            services.mentoring.cancel(person, meeting_id)
        home.publish(person.user_id)
        return
    outcome = services.mentoring.cancel_and_list(person, meeting_id)
    _replace(respond, messages.after_cancel(outcome.refusal, outcome.mine))


def show_options(
    ack: Ack, body: dict[str, Any], respond: Respond, services: Services, people: PeopleDirectory
) -> None:
    ack()
    person = people.get(body["user"]["id"])
    outcome = services.mentoring.options(person, AskRef.decode(_value(body)).ask_id)
    respond(replace_original=False, response_type="ephemeral", **messages.ask_offers(outcome).as_kwargs())


def leave_confirm(
    ack: Ack, body: dict[str, Any], respond: Respond, services: Services, people: PeopleDirectory
) -> None:
    ack()
    person = people.get(body["user"]["id"])
    try:
        services.register.leave(person)
    except NotFound as exc:
        _replace(respond, messages.plain(exc.message))
        return
    _replace(respond, messages.plain(register_blocks.LEFT_REGISTER))


def leave_stay(ack: Ack, respond: Respond) -> None:
    ack()
    _replace(respond, messages.plain(register_blocks.STAYED_ON_REGISTER))


def edit_profile(
    ack: Ack,
    body: dict[str, Any],
    respond: Respond,
    client: WebClient,
    services: Services,
    people: PeopleDirectory,
) -> None:
    ack()
    person = people.get(body["user"]["id"])
    # A button on a message confirms the save in that conversation; one on the Home, in our DM.
    channel_id = None if from_home(body) else (body.get("channel") or {}).get("id")
    open_profile_modal(client, services, person, body["trigger_id"], respond, channel_id=channel_id)


def rate(
    ack: Ack, body: dict[str, Any], respond: Respond, services: Services, people: PeopleDirectory
) -> None:
    ack()
    match = RATE_PATTERN.match(_action(body)["action_id"])
    assert match is not None  # the listener's own pattern
    person = people.get(body["user"]["id"])
    view = services.feedback.record(person, _meeting_id(body), rating=int(match[1]))
    _replace(respond, feedback.thanks(view, person.tz))


def goal_met(
    ack: Ack, body: dict[str, Any], respond: Respond, services: Services, people: PeopleDirectory
) -> None:
    ack()
    match = GOAL_MET_PATTERN.match(_action(body)["action_id"])
    assert match is not None
    person = people.get(body["user"]["id"])
    view = services.feedback.record(person, _meeting_id(body), goal_met=GoalMet(match[1]))
    _replace(respond, feedback.thanks(view, person.tz))


def open_note(
    ack: Ack, body: dict[str, Any], client: WebClient, services: Services, people: PeopleDirectory
) -> None:
    ack()
    meeting_id = _meeting_id(body)
    current = services.feedback.my_note(people.get(body["user"]["id"]), meeting_id)
    client.views_open(trigger_id=body["trigger_id"], view=note_modal(meeting_id, current))


def not_a_good_fit(
    ack: Ack, body: dict[str, Any], respond: Respond, services: Services, people: PeopleDirectory
) -> None:
    """Counted, never shown to the mentor; the asker goes straight back to the other ranked mentors."""
    ack()
    person = people.get(body["user"]["id"])
    outcome = services.mentoring.not_a_good_fit(person, _meeting_id(body))
    lead = "Thanks for saying so; it stays between us. Here are other mentors for the same goal:"
    respond(
        replace_original=False,
        response_type="ephemeral",
        **messages.ask_offers(outcome, lead=lead).as_kwargs(),
    )


def open_ask(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
    ack()
    open_modal(
        client, body["trigger_id"], ask_modal(), None if from_home(body) else respond, again="click it again"
    )


def directory_page(
    ack: Ack, body: dict[str, Any], respond: Respond, services: Services, people: PeopleDirectory
) -> None:
    """Previous / Next on the register: the same list, another page, in place."""
    ack()
    wanted = DirectoryPageRef.decode(_value(body))
    person = people.get(body["user"]["id"])
    _replace(
        respond,
        directory.mentor_directory(services.mentoring.browse_mentors(person, wanted.topics, wanted.page)),
    )


def browse_from_home(
    ack: Ack, body: dict[str, Any], client: WebClient, services: Services, people: PeopleDirectory
) -> None:
    """The Home's "Browse mentors": the register's first page in the app's DM, where its buttons work."""
    ack()
    person = people.get(body["user"]["id"])
    page = directory.mentor_directory(services.mentoring.browse_mentors(person, ()))
    client.chat_postMessage(channel=person.user_id, **page.as_kwargs())


def ask_mentor(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
    """The register's "Ask" button: the ask form, aimed at that mentor; the slots follow its submission."""
    ack()
    pick = MentorPick.decode(_value(body))
    modal = ask_modal(pick.mentor_id, pick.topics)
    open_modal(
        client, body["trigger_id"], modal, None if from_home(body) else respond, again="click Ask again"
    )


def toggle_available(
    ack: Ack,
    body: dict[str, Any],
    respond: Respond,
    services: Services,
    people: PeopleDirectory,
    home: HomePublisher,
) -> None:
    ack()
    wanted = Availability.decode(_value(body))
    person = people.get(body["user"]["id"])
    view = services.register.set_available(person, wanted.available)  # available also ends time away
    answer(body, respond, home, messages.profile_summary(view, lead="Saved."))
