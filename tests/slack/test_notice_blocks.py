"""Every notice type renders through the one ``match`` (a Home refresh is published, not posted)."""

from __future__ import annotations

import pytest
from notice_examples import example

from app.services import notices as n
from app.slack.blocks.notices import render

WORDS = {
    "mentor_request": "would like a 15-minute conversation with you",
    "request_closed": "Request from <@U2>: you accepted.",
    "confirmation": "You're booked",
    "request_declined": "can't take your request",
    "request_expired": "didn't answer in time",
    "meeting_cancelled": "cancelled your conversation",
    "feedback_question": "How did your conversation with <@U2>",
    "coffee_intro": "Meet your coffee pair",
    "coffee_followup": "Did you meet",
    "coffee_paused": "paused your coffee roulette",
    "coffee_left_out": "couldn't find you a match",
    "coffee_heads_up": "You'll be paired tomorrow in the coffee pool *mentors*",
    "coffee_partner_left": "can no longer be reached",
    "session_seat_confirmed": "You have a seat in “Office hours”",
    "session_check_in": "Check-in 2 for “Deep work”",
    "session_reminder": "Reminder: “Office hours” with <@U2>",
    "session_feedback_question": "How was “Office hours” with <@U2>",
    "session_rating_for_host": "is rated 4.3 / 5 on average by 3 people",
    "session_moved": "<@U2> moved “Office hours”: it's now",
    "session_seat_offered": "A seat came free in “Office hours”",
    "session_seat_offer_lapsed": "has gone to the next person waiting",
    "session_cancelled": "<@U2> cancelled “Office hours”",
    "session_gathering": "starts within the hour. Here's your group.",
    "program_invite": "You're invited to the mentoring program *Reverse*",
    "program_intro": "Meet your Reverse partner: <@U2> mentors <@U1>",
    "program_coach_brief": "You're coaching 1 pair in Reverse",
    "program_pair_ended": "Your pairing in *Reverse* has ended",
    "program_session_proposed": "Time for session 1 of 7 of Reverse (60 minutes): <@U1>, pick a time",
    "program_session_picked": "<@U2> picked",
    "program_session_booked": "Session 1 of 7 of Reverse is booked",
    "program_session_check_in": "How was session 1 of Reverse with <@U2>?",
    "program_pair_ended_admin": "In *Reverse*, <@U2> ended the pairing of <@U2> (mentor) and <@U3>",
    "program_coach_digest": "Your weekly digest for *Reverse*: 2 pairs, 1 behind.",
    "program_coach_prompt": "Check-in 1 of 3 for *Reverse*: time to reach out to <@U2>",
    "program_coach_check_in": "<@U2>, your coach in *Reverse*, is checking in: how is it going with <@U3>?",
    "program_wave_survey": "Wave 1 of *Reverse* has come to its end",
    "program_session_moved": "Session 1 of 7 of Reverse was moved by <@U1>. The new time:",
    "program_session_agenda": "Session 1 of 7 of Reverse is booked",
    "program_session_skipped": "<@U1> skipped session 1 of 7 of Reverse. No problem: session 2 is proposed",
    "program_agenda_asked": "Set its agenda",
    "program_agenda_shared": "<@U2> set the agenda for session 1 of Reverse",
    "program_pair_behind": "Session 1 of Reverse didn't happen in its window",
    "program_coach_behind": "<@U2> and <@U3> have missed 2 sessions",
    "program_partner_left": "<@U2> has left the workspace, so your pairing in *Reverse* ends here",
}


@pytest.mark.parametrize("kind", sorted(WORDS))
def test_each_notice_renders_as_its_message(kind):
    message = render(example(kind, "k", to="U1", other="U2"))
    assert WORDS[kind] in message.text
    assert set(WORDS) | {"home_refresh"} == set(n.KINDS)


def test_a_home_refresh_is_no_message():
    with pytest.raises(ValueError, match="published, not posted"):
        render(example("home_refresh", "k"))


def test_a_request_that_fell_through_offers_the_other_mentors_slots():
    message = render(example("request_declined", "k"))
    action_ids = [e["action_id"] for b in message.blocks if b["type"] == "actions" for e in b["elements"]]
    assert action_ids == ["pick_slot_0"]


def test_a_sessions_place_and_link_are_shown_as_text():
    from dataclasses import replace

    gathering = example("session_gathering", "k")
    message = render(replace(gathering, where="Berlin, <!here> room"))  # type: ignore[type-var]
    assert "<!here>" not in str(message.blocks) and "&lt;!here&gt;" in str(message.blocks)
