"""Each notice type: its kind, key, recipients and priority, and a payload that goes round unchanged."""

from __future__ import annotations

import pytest
from notice_examples import START, example

from app.services import notices as n

TO, OTHER = "U1", "U2"
# The kinds someone is waiting for (before these types: outbox.PRIORITY_BY_KIND); the rest are bulk.
NOW_KINDS = {
    "mentor_request",
    "request_closed",
    "confirmation",
    "request_declined",
    "request_expired",
    "meeting_cancelled",
    "session_seat_confirmed",
    "session_seat_offered",
    "session_moved",
    "session_cancelled",
    "program_session_moved",
    "program_session_skipped",
    "home_refresh",
}
# (sent to, everyone it concerns) of each example.
PEOPLE = {
    "mentor_request": ((TO,), (TO, OTHER)),
    "request_closed": ((), (OTHER,)),
    "confirmation": ((OTHER, TO), (OTHER, TO)),
    "request_declined": ((TO,), (TO, OTHER, "U3")),
    "request_expired": ((TO,), (TO, OTHER, "U3")),
    "meeting_cancelled": ((TO,), (TO, OTHER)),
    "feedback_question": ((TO,), (TO, OTHER)),
    "coffee_intro": ((TO, OTHER), (TO, OTHER)),
    "coffee_followup": ((TO, OTHER), (TO, OTHER)),
    "coffee_paused": ((TO,), (TO,)),
    "coffee_left_out": ((TO,), (TO,)),
    "coffee_heads_up": ((TO,), (TO,)),
    "coffee_partner_left": ((TO,), (TO,)),
    "session_seat_confirmed": ((TO,), (TO, OTHER)),
    "session_seat_offered": ((TO,), (TO, OTHER)),
    "session_seat_offer_lapsed": ((TO,), (TO, OTHER)),
    "session_moved": ((TO,), (TO, OTHER)),
    "session_reminder": ((TO,), (TO, OTHER)),
    "session_feedback_question": ((TO,), (TO, OTHER)),
    "session_rating_for_host": ((TO,), (TO,)),
    "session_check_in": ((OTHER, TO), (OTHER, TO)),
    "session_cancelled": ((TO,), (TO, OTHER)),
    "session_gathering": ((OTHER, TO), (OTHER, TO)),
    "program_invite": ((TO,), (TO,)),
    "program_intro": ((OTHER, TO), (OTHER, TO)),
    "program_coach_brief": ((TO,), (TO, OTHER, "U3")),
    "program_pair_ended": ((TO,), (TO, OTHER)),
    "program_pair_ended_admin": ((TO,), (TO, OTHER, "U3", "U4")),
    "program_session_proposed": ((OTHER, TO), (OTHER, TO)),
    "program_session_picked": ((TO,), (TO, OTHER)),
    "program_session_booked": ((OTHER, TO), (OTHER, TO)),
    "program_session_check_in": ((TO,), (TO, OTHER)),
    "program_coach_digest": ((TO,), (TO, OTHER, "U3", "U4", "U5")),
    "program_coach_prompt": ((TO,), (TO, OTHER, "U3")),
    "program_coach_check_in": ((TO,), (TO, OTHER, "U3")),
    "program_wave_survey": ((TO,), (TO,)),
    "program_session_moved": ((OTHER, TO), (OTHER, TO)),
    "program_session_agenda": ((), (OTHER, TO)),
    "program_session_skipped": ((OTHER, TO), (OTHER, TO)),
    "program_agenda_asked": ((TO,), (TO, OTHER)),
    "program_agenda_shared": ((TO,), (TO, OTHER)),
    "program_pair_behind": ((OTHER, TO), (OTHER, TO)),
    "program_coach_behind": ((TO,), (TO, OTHER, "U3")),
    "program_partner_left": ((TO,), (TO, OTHER)),
    "home_refresh": ((TO,), (TO,)),
}


def test_every_kind_has_a_type_and_an_example():
    assert set(n.KINDS) == set(PEOPLE)
    assert all(n.KINDS[kind].kind == kind for kind in n.KINDS)


@pytest.mark.parametrize("kind", sorted(PEOPLE))
def test_a_notice_goes_round_its_payload_unchanged(kind):
    notice = example(kind, f"key:{kind}")
    payload = notice.to_payload()
    again = n.decode(kind, payload, key=f"key:{kind}")
    assert again == notice and type(again) is type(notice)
    assert again.to_payload() == payload
    assert again.kind == kind and again.key == f"key:{kind}"


@pytest.mark.parametrize("kind", sorted(PEOPLE))
def test_recipients_and_priority(kind):
    notice = example(kind, "k", to=TO, other=OTHER)
    assert (notice.send_to, notice.recipients) == PEOPLE[kind]
    assert notice.priority == (n.Priority.NOW if kind in NOW_KINDS else n.Priority.BULK)


def test_how_each_is_delivered():
    closed = example("request_closed", "k")
    assert closed.delivery is n.Delivery.UPDATE and closed.updates == "meeting:1:request"
    assert example("home_refresh", "k").delivery is n.Delivery.HOME
    posted = {kind for kind in PEOPLE if example(kind, "k").delivery is n.Delivery.POST}
    assert posted == set(PEOPLE) - {"request_closed", "home_refresh", "program_session_agenda"}
    assert all(example(kind, "k").updates is None for kind in posted)


def test_a_stored_kind_this_code_does_not_know_or_a_payload_that_does_not_fit():
    with pytest.raises(n.UnknownKind, match="unknown notice kind coffee_party"):
        n.decode("coffee_party", {"to": TO}, key="k")
    with pytest.raises(KeyError):
        n.decode("coffee_intro", {"users": [TO, OTHER]}, key="k")  # no proposer


def test_a_first_feedback_question_carries_no_reminder_flag_and_the_reminder_does():
    first = example("feedback_question", "k")
    assert isinstance(first, n.FeedbackQuestion)
    assert "reminder" not in first.to_payload()
    reminder = n.FeedbackQuestion(**{**first.__dict__, "reminder": True})
    assert reminder.to_payload()["reminder"] is True
    assert n.decode("feedback_question", reminder.to_payload(), key="k").reminder is True


def test_old_payloads_without_the_optional_words_still_decode():
    cancelled = example("meeting_cancelled", "k").to_payload()
    del cancelled["by_mentor"]
    assert n.decode("meeting_cancelled", cancelled, key="k").by_mentor is False
    intro = example("coffee_intro", "k").to_payload()
    del intro["people"]
    assert n.decode("coffee_intro", intro, key="k").people == {}


def test_a_mentor_who_cannot_be_reached_frees_the_request():
    request = example("mentor_request", "k")
    assert request.if_unreachable([]) == n.IfUnreachable(then=n.MentorGone(1))


def test_an_intro_goes_to_those_still_here_or_strands_the_last_one():
    trio = n.CoffeeIntro(key="k", users=("U1", "U2", "U3"), proposer="U1", icebreaker="?", group_id=4)
    instead = trio.if_unreachable(["U2", "U3"]).instead
    assert isinstance(instead, n.CoffeeIntro)
    assert (instead.users, instead.proposer, instead.key) == (("U2", "U3"), "U2", "k")
    assert trio.if_unreachable(["U1", "U3"]).instead == n.CoffeeIntro(
        key="k", users=("U1", "U3"), proposer="U1", icebreaker="?", group_id=4
    )
    assert trio.if_unreachable(["U3"]) == n.IfUnreachable(then=n.PartnerStranded(4, "U3"))
    assert trio.if_unreachable([]) == n.IfUnreachable()


def test_other_notices_fail_when_their_person_left():
    for kind in ("meeting_cancelled", "confirmation", "coffee_left_out", "feedback_question"):
        assert example(kind, "k").if_unreachable([]) == n.IfUnreachable()


def test_a_stranded_person_joins_an_intro_in_order_with_what_it_says_about_them():
    pair = example("coffee_intro", "k", to="U5", other="U9")
    assert isinstance(pair, n.CoffeeIntro)
    trio = pair.joined_by("U7", n.Colleague("Design", ("ux",)))
    assert trio.users == ("U5", "U7", "U9") and trio.people["U7"] == n.Colleague("Design", ("ux",))
    assert trio.key == pair.key and trio.recipients == ("U5", "U7", "U9")
    assert trio.to_payload()["people"]["U7"] == {"team": "Design", "topics": ["ux"]}


def test_times_are_stored_as_iso_text_and_read_back_as_instants():
    payload = example("mentor_request", "k").to_payload()
    assert payload["start"] == START.isoformat()
    assert n.decode("mentor_request", payload, key="k").start == START
