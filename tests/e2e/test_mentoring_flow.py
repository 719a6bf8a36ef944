"""The whole micro-mentoring path, driven as Slack drives it: signed requests in, Web API calls out.

ask -> pick a slot -> the mentor's DM -> accept -> group DM confirmation -> feedback, plus decline,
expiry and cancel, and the double and late clicks on each button.
"""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from e2e_support import ASKER, MENTOR, OTHER, button, buttons, slot_buttons, slot_of, text_of
from sqlalchemy import select

from app.db.models import Ask, Feedback, Meeting
from app.slack.blocks.format import local_time, short_time


def join_as_mentor(h, user_id=MENTOR, topics="#python #testing"):
    answer = h.answer(user_id, f"join {topics}")
    assert "Welcome to the mentor register" in text_of(answer.blocks, answer.text)
    return answer


def ask_and_pick(h, asker=ASKER, goal="How do I write better tests? #python", pick=0):
    offers = h.answer(asker, f"ask {goal}")
    slots = slot_buttons(offers.blocks)
    assert slots, text_of(offers.blocks, offers.text)
    chosen = slots[pick]
    sent = h.click(asker, chosen["action_id"], chosen["value"])
    return offers, chosen, sent


def mentor_request_dm(h, mentor=MENTOR):
    h.deliver()
    dms = h.fake.messages_in(h.fake.dm_channel_for(mentor))
    assert dms, "the mentor got no DM"
    return dms[-1]


def test_ask_offers_slots_in_the_askers_time_zone(harness):
    join_as_mentor(harness)
    offers = harness.answer(ASKER, "ask How do I write better tests? #python")
    text = text_of(offers.blocks, offers.text)
    assert "How do I write better tests?" in text and f"<@{MENTOR}>" in text
    slots = slot_buttons(offers.blocks)
    assert 1 <= len(slots) <= 3
    for btn in slots:
        _, mentor_id, start = slot_of(btn)
        assert mentor_id == MENTOR
        assert btn["text"]["text"] == short_time(start, "America/New_York")
        berlin = start.astimezone(ZoneInfo("Europe/Berlin"))
        assert berlin.weekday() < 5 and 9 <= berlin.hour < 17  # default windows, in the mentor's zone
    assert "America/New_York" in text
    assert offers.response_type == "ephemeral"


def test_full_path_accept_confirm_and_feedback(harness, engine):
    join_as_mentor(harness)
    _, chosen, sent = ask_and_pick(harness)
    _, _, start = slot_of(chosen)
    assert "Request sent" in text_of(sent.blocks, sent.text) and sent.replace_original

    request = mentor_request_dm(harness)
    request_text = text_of(request["blocks"], request["text"])
    assert "How do I write better tests?" in request_text
    assert local_time(start, "Europe/Berlin") in request_text  # the mentor's own zone

    accepted = harness.click(
        MENTOR, "accept_request", button(request["blocks"], "accept_request")["value"], message=request
    )
    assert "accepted" in text_of(accepted.blocks, accepted.text) and accepted.replace_original
    harness.deliver()
    group = harness.fake.messages_in(harness.fake.dm_channel_for(ASKER, MENTOR))
    assert len(group) == 2 and group[1]["files"][0]["name"].endswith(".ics")  # the message, its .ics
    confirmation = text_of(group[0]["blocks"], group[0]["text"])
    assert "15 minutes, confidential unless you both agree otherwise" in confirmation
    assert "How do I write better tests?" in confirmation
    assert (
        local_time(start, "America/New_York") in confirmation
        and local_time(start, "Europe/Berlin") in confirmation
    )

    # Clicking Accept again, or Decline late, changes nothing and says what happened.
    again = harness.click(
        MENTOR, "accept_request", button(request["blocks"], "accept_request")["value"], message=request
    )
    assert "already confirmed" in text_of(again.blocks, again.text)
    late = harness.click(
        MENTOR, "decline_request", button(request["blocks"], "decline_request")["value"], message=request
    )
    assert "already confirmed" in text_of(late.blocks, late.text)
    harness.deliver()
    assert len(harness.fake.messages_in(harness.fake.dm_channel_for(ASKER, MENTOR))) == 2

    # Nothing about the meeting was posted in any public channel.
    assert all(
        call.args.get("channel", "D").startswith(("D", "G"))
        for call in harness.fake.calls_to("chat.postMessage")
    )

    # After the conversation: one feedback DM each, once.
    harness.clock.set(start + timedelta(minutes=16))
    assert harness.bot.services.feedback.request_due_feedback() == 1
    assert harness.bot.services.feedback.request_due_feedback() == 0
    harness.deliver()
    asker_dm = harness.fake.messages_in(harness.fake.dm_channel_for(ASKER))[-1]
    mentor_dm = harness.fake.messages_in(harness.fake.dm_channel_for(MENTOR))[-1]
    assert (
        "How did your conversation" in asker_dm["text"] and "How did your conversation" in mentor_dm["text"]
    )
    assert [b["action_id"] for b in _buttons(asker_dm)].count("goal_met_yes") == 1
    assert "goal_met_yes" not in [b["action_id"] for b in _buttons(mentor_dm)]

    meeting_id = button(asker_dm["blocks"], "rate_4")["value"]
    rated = harness.click(ASKER, "rate_4", meeting_id, message=asker_dm)
    assert "rating ★★★★" in text_of(rated.blocks, rated.text)
    met = harness.click(ASKER, "goal_met_yes", meeting_id, message=asker_dm)
    assert "goal met" in text_of(met.blocks, met.text)
    twice = harness.click(ASKER, "goal_met_yes", meeting_id, message=asker_dm)
    assert "Already noted" in text_of(twice.blocks, twice.text)
    harness.click(MENTOR, "rate_5", button(mentor_dm["blocks"], "rate_5")["value"], message=mentor_dm)

    with engine.connect() as connection:
        rows = {r.user_id: (r.rating, r.goal_met) for r in connection.execute(select(Feedback))}
    assert rows == {ASKER: (4, "yes"), MENTOR: (5, None)}


def _buttons(message):
    return buttons(message["blocks"])


def test_decline_frees_the_slot_and_offers_others(harness, engine):
    join_as_mentor(harness)
    join_as_mentor(harness, user_id=OTHER, topics="#python")
    _, chosen, _ = ask_and_pick(harness)
    _, mentor_id, _start = slot_of(chosen)
    request = mentor_request_dm(harness, mentor_id)
    declined = harness.click(
        mentor_id, "decline_request", button(request["blocks"], "decline_request")["value"], message=request
    )
    assert "declined" in text_of(declined.blocks, declined.text)
    harness.deliver()
    notice = harness.fake.messages_in(harness.fake.dm_channel_for(ASKER))[-1]
    text = text_of(notice["blocks"], notice["text"])
    assert "can't take your request" in text
    other_mentor = OTHER if mentor_id == MENTOR else MENTOR
    offered = {slot_of(b)[1] for b in slot_buttons(notice["blocks"])}
    assert offered == {other_mentor}  # the mentor who declined is not offered again for this ask
    with engine.connect() as connection:
        meeting = connection.execute(select(Meeting)).one()
    assert meeting.status == "declined" and meeting.hold_start is None

    # The asker picks another mentor straight from the DM.
    again = slot_buttons(notice["blocks"])[0]
    sent = harness.click(ASKER, again["action_id"], again["value"], message=notice)
    assert "Request sent" in text_of(sent.blocks, sent.text)


def test_unanswered_request_expires_and_tells_the_asker(harness, engine):
    join_as_mentor(harness)
    _, _chosen, _ = ask_and_pick(harness)
    request = mentor_request_dm(harness)
    with engine.connect() as connection:
        expires_at = connection.execute(select(Meeting.expires_at)).scalar_one()
    harness.clock.set(expires_at - timedelta(minutes=1))
    assert harness.bot.services.mentoring.expire_stale_requests() == 0
    harness.clock.set(expires_at + timedelta(seconds=1))
    assert harness.bot.services.mentoring.expire_stale_requests() == 1
    harness.deliver()
    notice = harness.fake.messages_in(harness.fake.dm_channel_for(ASKER))[-1]
    assert "expired" in notice["text"]
    # The mentor's request message lost its buttons.
    updated = harness.fake.messages_in(harness.fake.dm_channel_for(MENTOR))[-1]
    assert updated["ts"] == request["ts"] and "expired" in updated["text"]
    assert not [b for b in _buttons(updated) if b["action_id"] == "accept_request"]
    # A late Accept on the old message says what happened and books nothing.
    late = harness.click(
        MENTOR, "accept_request", button(request["blocks"], "accept_request")["value"], message=request
    )
    assert "expired" in text_of(late.blocks, late.text)
    with engine.connect() as connection:
        meeting = connection.execute(select(Meeting)).one()
        ask = connection.execute(select(Ask)).one()
    assert meeting.status == "expired" and meeting.hold_start is None and ask.status == "open"


def test_either_side_cancels_from_the_list_and_the_other_is_told(harness):
    join_as_mentor(harness)
    _, _chosen, _ = ask_and_pick(harness)
    request = mentor_request_dm(harness)
    harness.click(
        MENTOR, "accept_request", button(request["blocks"], "accept_request")["value"], message=request
    )
    harness.deliver()

    listing = harness.answer(MENTOR, "list")
    assert "Upcoming conversations" in text_of(listing.blocks, listing.text)
    cancel = button(listing.blocks, "cancel_meeting")
    cancelled = harness.click(MENTOR, "cancel_meeting", cancel["value"])
    assert "Cancelled" in text_of(cancelled.blocks, cancelled.text)
    harness.deliver()
    told, calendar_file = harness.fake.messages_in(harness.fake.dm_channel_for(ASKER))[-2:]
    assert f"<@{MENTOR}> cancelled your conversation" in told["text"]
    assert calendar_file["files"][0]["name"].endswith("-cancelled.ics")  # takes it off their calendar
    assert button(told["blocks"], "show_options")  # a mentor cancelling leaves the asker a way on

    twice = harness.click(MENTOR, "cancel_meeting", cancel["value"])
    assert "was cancelled" in text_of(twice.blocks, twice.text)
    harness.deliver()
    assert (
        len(
            [
                m
                for m in harness.fake.messages_in(harness.fake.dm_channel_for(ASKER))
                if "cancelled" in m["text"]
            ]
        )
        == 1
    )


def test_asker_withdraws_a_pending_request(harness, engine):
    join_as_mentor(harness)
    _, _, sent = ask_and_pick(harness)
    request = mentor_request_dm(harness)
    withdrawn = harness.click(ASKER, "cancel_meeting", button(sent.blocks, "cancel_meeting")["value"])
    assert "Cancelled" in text_of(withdrawn.blocks, withdrawn.text)
    harness.deliver()
    mentor_messages = harness.fake.messages_in(harness.fake.dm_channel_for(MENTOR))
    assert any(f"<@{ASKER}> cancelled" in m["text"] for m in mentor_messages)
    updated = next(m for m in mentor_messages if m["ts"] == request["ts"])
    assert "cancelled by the asker" in updated["text"]
    late = harness.click(
        MENTOR, "accept_request", button(request["blocks"], "accept_request")["value"], message=request
    )
    assert "cancelled" in text_of(late.blocks, late.text)


def test_nobody_available_is_said_and_remembered(harness, engine):
    offers = harness.answer(ASKER, "ask Help me with Rust lifetimes #rust")
    text = text_of(offers.blocks, offers.text)
    assert "Nobody on the mentor register is available" in text and "#rust" in text
    with engine.connect() as connection:
        assert connection.execute(select(Ask.status, Ask.topics)).one() == ("unmet", {"topics": ["rust"]})


def test_no_topic_match_offers_the_best_others(harness):
    join_as_mentor(harness, topics="#python")
    offers = harness.answer(ASKER, "ask Getting started with Go #golang")
    text = text_of(offers.blocks, offers.text)
    assert "No mentor covers `#golang`" in text
    assert {slot_of(b)[1] for b in slot_buttons(offers.blocks)} == {MENTOR}


def test_the_asker_is_never_offered_themselves(harness):
    join_as_mentor(harness)
    offers = harness.answer(MENTOR, "ask Someone to review my talk #python")
    assert "Nobody on the mentor register is available" in text_of(offers.blocks, offers.text)


def test_a_slot_button_clicked_twice_books_once(harness, engine):
    join_as_mentor(harness)
    _offers, chosen, _ = ask_and_pick(harness)
    again = harness.click(ASKER, chosen["action_id"], chosen["value"])
    assert "already asked a mentor" in text_of(again.blocks, again.text)
    with engine.connect() as connection:
        assert len(connection.execute(select(Meeting)).all()) == 1
