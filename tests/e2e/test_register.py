"""The mentor register, driven as Slack drives it: join, the profile modal, availability, away,
leave, reverse mentoring and the App Home tab.

Each test checks what people see (ephemeral answers, modals, DMs, the Home tab) and what the
database holds afterwards.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from e2e_support import ASKER, MENTOR, OTHER, button, slot_buttons, slot_of, text_of
from slack_requests import app_home_opened_event, checkboxes, number_input, static_select
from sqlalchemy import select

from app.db.models import Meeting, Member, MentorProfile, MentorTopic
from app.slack.blocks.format import local_time

NOT_ON_REGISTER = "You're not on the mentor register"
NOBODY = "Nobody on the mentor register is available"
COMMAND_CHANNEL = "C1"  # where slack_requests sends /mentor from


@pytest.fixture(autouse=True)
def command_channel(harness):
    """The channel the commands come from, with the bot in it, so it can answer there ephemerally."""
    harness.fake.add_channel(COMMAND_CHANNEL, members=[MENTOR, ASKER, OTHER], name="general")


# --- helpers ----------------------------------------------------------------------------------------------


def block(view, block_id):
    matches = [b for b in view["blocks"] if b.get("block_id") == block_id]
    assert matches, f"no block {block_id!r} in {[b.get('block_id') for b in view['blocks']]}"
    return matches[0]


def open_profile(h, user_id, text="profile"):
    """Run a command that opens the profile modal; return (modal, the command's response key)."""
    h.command(user_id, text)
    key, trigger_id = h.sender.last_response_key, h.sender.last_trigger_id
    # The fake records a call just after answering it, so wait for the record, not only the modal.
    opened = h.fake.wait_for(
        lambda: [c for c in h.fake.calls_to("views.open", ok=True) if c.args["trigger_id"] == trigger_id]
    )
    assert len(opened) == 1, "the modal must be opened once, with the command's own trigger_id"
    view_id = opened[0].response["view"]["id"]
    modal = next(m for m in h.fake.modals_for(user_id) if m["id"] == view_id)
    # The modal remembers the conversation it was opened from, never a response_url.
    assert json.loads(modal["private_metadata"]) == {"c": COMMAND_CHANNEL}
    return modal, key


def confirmations(h, user_id, channel=COMMAND_CHANNEL):
    """What the bot said to this person alone in that channel (chat.postEphemeral), oldest first."""
    return [
        SimpleNamespace(text=e.get("text"), blocks=e.get("blocks"), channel=e["channel"], user=e["user"])
        for e in h.fake.ephemerals_for(user_id, channel)
    ]


def confirmation(h, user_id, channel=COMMAND_CHANNEL):
    return h.fake.wait_for(lambda: confirmations(h, user_id, channel))[-1]


def profile_values(
    topics="python, career",
    *,
    bio="",
    windows="Mon-Fri 09:00-17:00",
    capacity="2",
    team=None,
    level=None,
    reverse=True,
):
    """The modal's state.values as Slack sends them on submit."""
    return {
        "topics": {"topics_input": topics},
        "bio": {"bio_input": bio or None},
        "windows": {"windows_input": windows},
        "capacity": {"capacity_input": number_input(capacity)},
        "team": {"team_input": team},
        "level": {"level_input": static_select(level)},
        "reverse": {"reverse_input": checkboxes(["reverse_ok"] if reverse else [])},
    }


def save_profile(h, user_id, **values):
    """Open the modal with `/mentor profile`, submit it, and return the confirmation message."""
    modal, _ = open_profile(h, user_id)
    before = len(confirmations(h, user_id))
    reply = h.sender.submit(user_id, values=profile_values(**values), view=modal)
    assert reply.status == 200 and not reply.body, reply  # accepted: the modal closes
    return h.fake.wait_for(lambda: confirmations(h, user_id)[before:])[-1]


def share_the_askers_morning(h):
    """OTHER works from London, whose day overlaps New York's morning: offered to ASKER alongside MENTOR
    (from Kolkata, OTHER's day is the middle of ASKER's night, so only MENTOR would be offered)."""
    h.fake.add_user(OTHER, "omar", real_name="Omar Other", tz="Europe/London")


def offered(h, asker=ASKER, goal="How do I review code well? #python"):
    """Ask, and return the set of mentors whose slots are offered (empty when nobody is)."""
    answer = h.answer(asker, f"ask {goal}")
    mentors = {slot_of(b)[1] for b in slot_buttons(answer.blocks)}
    if not mentors:
        assert NOBODY in text_of(answer.blocks, answer.text)
    return mentors


def said(answer):
    return text_of(answer.blocks, answer.text)


def profile_row(engine, user_id):
    with engine.connect() as connection:
        return connection.execute(select(MentorProfile).where(MentorProfile.user_id == user_id)).one_or_none()


def topics_of(engine, user_id):
    with engine.connect() as connection:
        return set(connection.scalars(select(MentorTopic.topic).where(MentorTopic.user_id == user_id)))


def member_row(engine, user_id):
    with engine.connect() as connection:
        return connection.execute(select(Member).where(Member.user_id == user_id)).one()


# --- joining and the profile modal --------------------------------------------------------------------------


def test_join_without_topics_opens_the_profile_modal_with_defaults(harness, engine):
    modal, key = open_profile(harness, MENTOR, "join")
    assert modal["callback_id"] == "mentor_profile" and modal["type"] == "modal"
    assert block(modal, "windows")["element"]["initial_value"] == "Mon-Fri 09:00-17:00"
    assert "Europe/Berlin" in block(modal, "windows")["label"]["text"]  # the mentor's own zone
    assert block(modal, "capacity")["element"]["initial_value"] == "2"
    assert not block(modal, "topics")["element"].get("initial_value")
    assert [o["value"] for o in block(modal, "reverse")["element"]["initial_options"]] == ["reverse_ok"]
    assert "initial_option" not in block(modal, "level")["element"]
    assert "response" not in modal["private_metadata"]  # no response_url travels through Slack's client
    assert harness.fake.responses_for(key) == []  # nothing else said
    assert confirmations(harness, MENTOR) == [] and harness.fake.dms_to(MENTOR) == []
    assert profile_row(engine, MENTOR) is None  # opening the form puts nobody on the register


def test_an_expired_trigger_id_gets_a_friendly_retry_hint(harness, engine):
    reply = harness.sender.command(
        "join", MENTOR, trigger_id=harness.fake.new_trigger_id(MENTOR, expired=True)
    )
    assert reply.status == 200
    key = harness.sender.last_response_key
    answer = harness.fake.wait_for(lambda: harness.fake.responses_for(key))[-1]
    assert "run `/mentor profile` again" in said(answer)
    assert answer.response_type == "ephemeral"
    assert harness.fake.modals_for(MENTOR) == []
    assert profile_row(engine, MENTOR) is None


def test_submitting_the_modal_saves_the_profile_and_confirms(harness, engine):
    modal, key = open_profile(harness, MENTOR, "join")
    reply = harness.sender.submit(
        MENTOR,
        values=profile_values(
            "python, #Career, on-call",
            bio="Ten years of backend work.",
            windows="Mon-Thu 10:00-12:00, Fri 14-16",
            capacity="3",
            team="Platform",
            level="3",
            reverse=False,
        ),
        view=modal,
    )
    assert reply.status == 200 and not reply.body

    confirmed = confirmation(harness, MENTOR)
    text = said(confirmed)
    # Ephemeral, to the mentor alone, in the conversation the form was opened from.
    assert "Your mentor profile is saved" in text
    assert (confirmed.user, confirmed.channel) == (MENTOR, COMMAND_CHANNEL)
    assert harness.fake.responses_for(key) == [] and harness.fake.dms_to(MENTOR) == []
    assert "`#career`" in text and "`#on-call`" in text and "`#python`" in text
    assert "Mon-Thu 10:00-12:00" in text and "Fri 14:00-16:00" in text and "3 conversations a week" in text

    profile = profile_row(engine, MENTOR)
    assert profile.active and profile.available and profile.windows_customised
    assert (profile.capacity_per_week, profile.reverse_ok, profile.bio) == (
        3,
        False,
        "Ten years of backend work.",
    )
    assert profile.windows == {
        "windows": [[d, "10:00:00", "12:00:00"] for d in range(4)] + [[4, "14:00:00", "16:00:00"]]
    }
    assert topics_of(engine, MENTOR) == {"python", "career", "on-call"}
    member = member_row(engine, MENTOR)
    assert (member.team, member.level, member.tz) == ("Platform", 3, "Europe/Berlin")

    # Saved windows are what askers are offered, in the mentor's zone.
    for btn in slot_buttons(harness.answer(ASKER, "ask How do I get into SRE? #on-call").blocks):
        berlin = slot_of(btn)[2].astimezone(ZoneInfo("Europe/Berlin"))
        assert (berlin.weekday() < 4 and 10 <= berlin.hour < 12) or (
            berlin.weekday() == 4 and 14 <= berlin.hour < 16
        )

    # Opening the profile again shows what was saved.
    again, _ = open_profile(harness, MENTOR)
    assert block(again, "topics")["element"]["initial_value"] == "career, on-call, python"
    assert block(again, "windows")["element"]["initial_value"] == "Mon-Thu 10:00-12:00, Fri 14:00-16:00"
    assert block(again, "capacity")["element"]["initial_value"] == "3"
    assert block(again, "team")["element"]["initial_value"] == "Platform"
    assert block(again, "level")["element"]["initial_option"]["value"] == "3"
    assert not block(again, "reverse")["element"].get("initial_options")


@pytest.mark.parametrize(
    ("values", "bad_block", "words"),
    [
        ({"windows": "Funday 25-26"}, "windows", "is not a day"),
        ({"windows": ""}, "windows", ""),
        ({"topics": ""}, "topics", "at least one topic"),
        ({"topics": " , ,"}, "topics", "at least one topic"),
        ({"capacity": "-1"}, "capacity", "0 to 20"),
        ({"capacity": "many"}, "capacity", "0 to 20"),
    ],
)
def test_an_invalid_form_is_answered_beside_the_field_and_nothing_is_saved(
    harness, engine, values, bad_block, words
):
    modal, key = open_profile(harness, MENTOR, "join")
    reply = harness.sender.submit(MENTOR, values=profile_values(**values), view=modal)
    assert reply.status == 200
    answer = reply.json()
    assert answer["response_action"] == "errors"
    assert list(answer["errors"]) == [bad_block]
    assert words in answer["errors"][bad_block]
    assert profile_row(engine, MENTOR) is None and topics_of(engine, MENTOR) == set()
    assert harness.fake.responses_for(key) == [] and confirmations(harness, MENTOR) == []


def test_several_bad_fields_are_all_named(harness, engine):
    modal, _ = open_profile(harness, MENTOR, "join")
    reply = harness.sender.submit(MENTOR, values=profile_values("", windows="Funday 25-26"), view=modal)
    assert set(reply.json()["errors"]) == {"topics", "windows"}
    assert profile_row(engine, MENTOR) is None


def test_the_edit_profile_button_opens_the_modal_with_the_current_topics(harness):
    joined = harness.answer(MENTOR, "join #python #testing")
    edit = button(joined.blocks, "edit_profile")
    harness.sender.action(MENTOR, "edit_profile", edit["value"])
    trigger_id = harness.sender.last_trigger_id
    opened = harness.fake.wait_for(lambda: harness.fake.calls_to("views.open", ok=True))
    assert [c.args["trigger_id"] for c in opened] == [trigger_id]  # the click's own trigger_id
    modal = harness.fake.modals_for(MENTOR)[-1]
    assert block(modal, "topics")["element"]["initial_value"] == "python, testing"
    assert block(modal, "windows")["element"]["initial_value"] == "Mon-Fri 09:00-17:00"


def test_join_never_grows_a_mentor_past_five_topics(harness, engine):
    harness.answer(MENTOR, "join #go #rust #sql #css")
    refused = harness.answer(MENTOR, "join #html #java")
    assert "at most 5" in said(refused) and "/mentor profile" in said(refused)
    assert topics_of(engine, MENTOR) == {"go", "rust", "sql", "css"}

    assert "Your topics are updated" in said(harness.answer(MENTOR, "join #go #html"))
    assert topics_of(engine, MENTOR) == {"go", "rust", "sql", "css", "html"}

    # The profile form, prefilled with what the mentor holds, can always be saved as it is.
    modal, _ = open_profile(harness, MENTOR)
    prefilled = block(modal, "topics")["element"]["initial_value"]
    reply = harness.sender.submit(MENTOR, values=profile_values(prefilled), view=modal)
    assert reply.status == 200 and not reply.body, reply.body
    assert "Your mentor profile is saved" in said(confirmation(harness, MENTOR))


# --- availability and time away -----------------------------------------------------------------------------


def test_available_off_and_on(harness, engine):
    harness.answer(MENTOR, "join #python")
    assert offered(harness) == {MENTOR}

    off = harness.answer(MENTOR, "available off")
    assert "won't be offered for new requests" in said(off) and "not taking new requests" in said(off)
    assert profile_row(engine, MENTOR).available is False
    assert offered(harness) == set()

    on = harness.answer(MENTOR, "available on")
    assert "available for new requests again" in said(on)
    assert offered(harness) == {MENTOR}


def test_a_slot_picked_after_the_mentor_stepped_back_books_nothing(harness, engine):
    harness.answer(MENTOR, "join #python")
    offers = harness.answer(ASKER, "ask How do I review code well? #python")
    chosen = slot_buttons(offers.blocks)[0]
    harness.answer(MENTOR, "available off")

    answer = harness.click(ASKER, chosen["action_id"], chosen["value"])
    text = said(answer)
    assert "that slot was just taken" in text and NOBODY in text
    assert answer.replace_original and slot_buttons(answer.blocks) == []
    with engine.connect() as connection:
        assert connection.execute(select(Meeting)).all() == []
    assert harness.deliver() == 0  # nobody is told anything


def test_away_for_a_while_and_back(harness, engine):
    harness.answer(MENTOR, "join #python")
    away = harness.answer(MENTOR, "away 14d")
    assert "Enjoy the break" in said(away) and "away until" in said(away)
    until = profile_row(engine, MENTOR).away_until
    expected = harness.clock.now() + timedelta(days=14)
    assert abs(until - expected) < timedelta(minutes=1)
    assert offered(harness) == set()

    back = harness.answer(MENTOR, "away off")
    assert "Welcome back" in said(back)
    assert profile_row(engine, MENTOR).away_until is None
    assert offered(harness) == {MENTOR}


def test_away_until_a_date_in_the_past_is_refused(harness, engine):
    harness.answer(MENTOR, "join #python")
    answer = harness.answer(MENTOR, "away 2020-01-01")
    assert "in the past" in said(answer) and answer.response_type == "ephemeral"
    assert profile_row(engine, MENTOR).away_until is None
    assert offered(harness) == {MENTOR}


def test_away_until_a_future_date_is_back_that_morning_in_their_zone(harness, engine):
    harness.answer(MENTOR, "join #python")
    day = (harness.clock.now() + timedelta(days=30)).date()
    harness.answer(MENTOR, f"away {day.isoformat()}")
    until = profile_row(engine, MENTOR).away_until
    assert until.astimezone(ZoneInfo("Europe/Berlin")).replace(tzinfo=None) == datetime(
        day.year, day.month, day.day
    )
    assert offered(harness) == set()


def test_capacity_zero_is_never_offered(harness, engine):
    harness.answer(MENTOR, "join #python")
    save_profile(harness, MENTOR, topics="python", capacity="0")
    assert profile_row(engine, MENTOR).capacity_per_week == 0
    assert offered(harness) == set()


def test_a_full_week_is_not_offered(harness, engine):
    harness.fake.add_user("UASKER02", "bea", tz="America/New_York")
    harness.fake.add_user("UASKER03", "cal", tz="America/New_York")
    harness.fake.add_user("UASKER04", "dee", tz="America/New_York")
    save_profile(harness, MENTOR, topics="python", capacity="1")
    berlin = ZoneInfo("Europe/Berlin")
    booked_weeks = []
    for asker in (ASKER, "UASKER02", "UASKER03", "UASKER04"):
        answer = harness.answer(asker, "ask Help me with asyncio #python")
        slots = slot_buttons(answer.blocks)
        if not slots:
            assert NOBODY in said(answer)
            break
        weeks = {slot_of(b)[2].astimezone(berlin).isocalendar()[:2] for b in slots}
        assert not weeks & set(booked_weeks), "a slot offered in a week already at capacity"
        sent = harness.click(asker, slots[0]["action_id"], slots[0]["value"])
        assert "Request sent" in said(sent)
        booked_weeks.append(slot_of(slots[0])[2].astimezone(berlin).isocalendar()[:2])
    else:
        pytest.fail("the mentor was still offered after four bookings at one a week within 14 days")
    assert 2 <= len(booked_weeks) <= 3 and len(set(booked_weeks)) == len(booked_weeks)


# --- leaving ------------------------------------------------------------------------------------------------


def _pending_request_to(h, mentor):
    """ASKER asks and picks one of ``mentor``'s slots; returns the slot's start."""
    answer = h.answer(ASKER, "ask How should I structure a Python package? #python")
    chosen = next(b for b in slot_buttons(answer.blocks) if slot_of(b)[1] == mentor)
    assert "Request sent" in said(h.click(ASKER, chosen["action_id"], chosen["value"]))
    h.deliver()
    return slot_of(chosen)[2]


def test_leave_declines_pending_requests_and_offers_the_asker_others(harness, engine):
    share_the_askers_morning(harness)
    harness.answer(MENTOR, "join #python")
    harness.answer(OTHER, "join #python")
    start = _pending_request_to(harness, MENTOR)

    preview = harness.answer(MENTOR, "leave")
    text = said(preview)
    assert "Leave the mentor register?" in text and "1 unanswered request will be declined" in text
    assert "`/mentor available off`" in text  # the gentler alternatives
    assert profile_row(engine, MENTOR).active  # nothing happens before the click

    left = harness.click(MENTOR, "leave_confirm", button(preview.blocks, "leave_confirm")["value"])
    assert "You've left the mentor register" in said(left) and left.replace_original
    assert profile_row(engine, MENTOR).active is False
    with engine.connect() as connection:
        meeting = connection.execute(select(Meeting)).one()
    assert meeting.status == "declined" and meeting.hold_start is None

    harness.deliver()
    notice = harness.fake.dms_to(ASKER)[-1]
    notice_text = text_of(notice["blocks"], notice["text"])
    assert "can't take your request" in notice_text and "left the mentor register" in notice_text
    assert local_time(start, "America/New_York") in notice_text
    assert {slot_of(b)[1] for b in slot_buttons(notice["blocks"])} == {OTHER}

    assert offered(harness) == {OTHER}
    assert NOT_ON_REGISTER in said(harness.answer(MENTOR, "available on"))
    again = harness.click(MENTOR, "leave_confirm", "leave")  # the old button, clicked again
    assert NOT_ON_REGISTER in said(again)

    # Coming back is one command away.
    assert "Welcome to the mentor register" in said(harness.answer(MENTOR, "join #python"))
    assert offered(harness) == {MENTOR, OTHER}


def test_leave_preview_lists_confirmed_conversations_that_stay(harness, engine):
    harness.answer(MENTOR, "join #python")
    start = _pending_request_to(harness, MENTOR)
    request = harness.fake.dms_to(MENTOR)[-1]
    harness.click(
        MENTOR, "accept_request", button(request["blocks"], "accept_request")["value"], message=request
    )
    preview = said(harness.answer(MENTOR, "leave"))
    assert "1 confirmed conversation stays booked" in preview
    assert local_time(start, "Europe/Berlin") in preview and f"<@{ASKER}>" in preview
    assert "unanswered" not in preview

    harness.click(MENTOR, "leave_confirm", "leave")
    with engine.connect() as connection:
        assert connection.execute(select(Meeting.status)).scalar_one() == "confirmed"


def test_leave_stay_keeps_the_mentor(harness, engine):
    harness.answer(MENTOR, "join #python")
    preview = harness.answer(MENTOR, "leave")
    assert "no upcoming bookings" in said(preview)
    stay = harness.click(MENTOR, "leave_stay", button(preview.blocks, "leave_stay")["value"])
    assert "you stay on the register" in said(stay) and stay.replace_original
    assert profile_row(engine, MENTOR).active
    assert offered(harness) == {MENTOR}


@pytest.mark.parametrize("text", ["available off", "available on", "away 14d", "away off", "leave"])
def test_register_commands_from_a_non_mentor(harness, engine, text):
    answer = harness.answer(ASKER, text)
    assert NOT_ON_REGISTER in said(answer) and "`/mentor join #topic`" in said(answer)
    assert answer.response_type == "ephemeral"
    assert profile_row(engine, ASKER) is None


# --- reverse mentoring ------------------------------------------------------------------------------------


def test_reverse_mentoring_needs_the_mentors_consent(harness, engine):
    share_the_askers_morning(harness)
    save_profile(harness, MENTOR, topics="python", level="1", reverse=False)  # a junior
    save_profile(harness, ASKER, topics="leadership", level="3")  # a senior, who asks
    save_profile(harness, OTHER, topics="python", level="1", reverse=True)  # a junior open to it
    assert (member_row(engine, MENTOR).level, member_row(engine, ASKER).level) == (1, 3)

    assert offered(harness) == {OTHER}

    modal, _ = open_profile(harness, MENTOR)
    assert block(modal, "level")["element"]["initial_option"]["value"] == "1"
    assert not block(modal, "reverse")["element"].get("initial_options")
    save_profile(harness, MENTOR, topics="python", level="1", reverse=True)
    assert profile_row(engine, MENTOR).reverse_ok
    assert offered(harness) == {MENTOR, OTHER}


def test_a_junior_mentor_without_reverse_still_mentors_juniors(harness, engine):
    save_profile(harness, MENTOR, topics="python", level="1", reverse=False)
    assert offered(harness) == {MENTOR}  # the asker's level is unknown
    save_profile(harness, ASKER, topics="go", level="1")
    assert offered(harness) == {MENTOR}  # same level


# --- the App Home tab ---------------------------------------------------------------------------------------


def _home(h, user_id):
    before = len([c for c in h.fake.calls_to("views.publish") if c.args.get("user_id") == user_id])
    reply = h.sender.event(app_home_opened_event(user_id))
    assert reply.status == 200
    h.fake.wait_for(
        lambda: (
            len([c for c in h.fake.calls_to("views.publish", ok=True) if c.args.get("user_id") == user_id])
            > before
        )
    )
    view = h.fake.home_view(user_id)
    assert view["type"] == "home"
    return text_of(view["blocks"])


def test_app_home_lists_upcoming_conversations(harness):
    assert "None yet" in _home(harness, ASKER)

    harness.answer(MENTOR, "join #python")
    start = _pending_request_to(harness, MENTOR)
    mentor_home = _home(harness, MENTOR)
    assert f"<@{ASKER}> asks for {local_time(start, 'Europe/Berlin')}" in mentor_home  # with Accept / Decline

    request = harness.fake.dms_to(MENTOR)[-1]
    harness.click(
        MENTOR, "accept_request", button(request["blocks"], "accept_request")["value"], message=request
    )
    asker_home = _home(harness, ASKER)
    assert f"{local_time(start, 'America/New_York')} with <@{MENTOR}>" in asker_home
    assert "Waiting for" not in asker_home
    assert "/mentor help" in asker_home  # the way to every command is on the Home tab too
    assert "None yet" in _home(harness, OTHER)  # each person sees only their own


def test_app_home_opened_on_the_messages_tab_publishes_nothing(harness):
    reply = harness.sender.event(app_home_opened_event(ASKER, tab="messages"))
    assert reply.status == 200
    # A later event, as a marker that the first one has been handled.
    harness.sender.event(app_home_opened_event(OTHER))
    harness.fake.wait_for(lambda: harness.fake.home_view(OTHER))
    assert harness.fake.home_view(ASKER) is None
