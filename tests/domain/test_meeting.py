"""The ask and meeting lifecycle rules, over plain statuses and values (no database)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.domain import meeting as lifecycle
from app.domain.errors import Conflict, NotAllowed
from app.domain.model import SLOT_LENGTH, AskSpec, AskStatus, MeetingStatus, Mentor

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
ASK = AskSpec(asker_id="UASKER", goal="Learn", asker_level=3)


@pytest.mark.parametrize("status", [AskStatus.OPEN, AskStatus.UNMET, "open"])
def test_open_and_unmet_asks_take_a_request(status):
    lifecycle.require_open(status)


@pytest.mark.parametrize(
    ("status", "words"),
    [
        (AskStatus.REQUESTED, "already asked a mentor"),
        (AskStatus.CONFIRMED, "already booked"),
        (AskStatus.CANCELLED, "You cancelled"),
        (AskStatus.CLOSED, "closed"),
    ],
)
def test_an_ask_that_moved_on_says_where_it_is(status, words):
    with pytest.raises(Conflict, match=words):
        lifecycle.require_open(status.value)


def test_a_request_that_fell_through_reopens_only_a_requested_ask():
    assert lifecycle.reopened("requested") == AskStatus.OPEN
    for status in (AskStatus.CONFIRMED, AskStatus.CANCELLED, AskStatus.OPEN):
        assert lifecycle.reopened(status) == status


def test_every_status_has_words_and_declined_depends_on_who_asks():
    for status in MeetingStatus:
        assert lifecycle.already(status, by_mentor=True)
    assert lifecycle.already("declined", by_mentor=True) == "This request was already declined."
    assert lifecycle.already("declined", by_mentor=False) == "The mentor declined this request."


def test_the_mentor_answers_only_a_waiting_request():
    lifecycle.require_status("requested", MeetingStatus.REQUESTED, by_mentor=True)
    with pytest.raises(Conflict, match="already confirmed"):
        lifecycle.require_status(MeetingStatus.CONFIRMED, MeetingStatus.REQUESTED, by_mentor=True)


def test_only_the_people_in_a_conversation_act_on_it():
    sides = {"asker_id": "UA", "mentor_id": "UM"}
    lifecycle.require_party("UA", **sides, role=None)
    lifecycle.require_party("UM", **sides, role=None)
    lifecycle.require_party("UM", **sides, role="mentor")
    lifecycle.require_party("UA", **sides, role="asker")
    for user_id, role in (("UA", "mentor"), ("UM", "asker"), ("UX", None)):
        with pytest.raises(NotAllowed):
            lifecycle.require_party(user_id, **sides, role=role)


def test_a_conversation_is_cancellable_while_it_holds_a_slot_and_is_not_over():
    start = NOW + timedelta(hours=1)
    for status in (MeetingStatus.REQUESTED, MeetingStatus.CONFIRMED):
        lifecycle.require_cancellable(status, start, by_mentor=False, now=NOW)
        lifecycle.require_cancellable(
            status, NOW - SLOT_LENGTH + timedelta(seconds=1), by_mentor=True, now=NOW
        )
        with pytest.raises(Conflict, match="already over"):
            lifecycle.require_cancellable(status, NOW - SLOT_LENGTH, by_mentor=False, now=NOW)
    for status in (MeetingStatus.DECLINED, MeetingStatus.EXPIRED, MeetingStatus.CANCELLED):
        with pytest.raises(Conflict):
            lifecycle.require_cancellable(status, start, by_mentor=False, now=NOW)


def test_who_cancels_decides_what_becomes_of_the_ask():
    assert lifecycle.ask_after_cancel(by_asker=True) == AskStatus.CANCELLED
    assert lifecycle.ask_after_cancel(by_asker=False) == AskStatus.OPEN


def test_a_request_waits_at_most_its_expiry_and_never_past_the_slot():
    start = NOW + timedelta(hours=48)
    assert lifecycle.request_deadline(NOW, start, timedelta(hours=24)) == NOW + timedelta(hours=24)
    soon = NOW + timedelta(hours=2)
    assert lifecycle.request_deadline(NOW, soon, timedelta(hours=24)) == soon


def mentor(**changes) -> Mentor:
    return Mentor(
        **{"user_id": "UMENTOR", "topics": frozenset({"python"}), "tz": "UTC", "level": 4} | changes
    )


def test_may_mentor_is_what_matching_offers():
    assert lifecycle.may_mentor(mentor(), ASK, NOW)
    assert not lifecycle.may_mentor(mentor(user_id=ASK.asker_id), ASK, NOW)
    assert not lifecycle.may_mentor(mentor(available=False), ASK, NOW)
    assert not lifecycle.may_mentor(mentor(capacity_per_week=0), ASK, NOW)
    assert not lifecycle.may_mentor(mentor(away_until=NOW + timedelta(days=1)), ASK, NOW)
    assert lifecycle.may_mentor(mentor(away_until=NOW), ASK, NOW)  # back by now
    assert not lifecycle.may_mentor(mentor(level=2, reverse_ok=False), ASK, NOW)
    assert lifecycle.may_mentor(mentor(level=2, reverse_ok=True), ASK, NOW)


def test_a_request_needs_a_mentor_on_the_register_whom_slack_can_reach():
    assert lifecycle.may_take_request(mentor(), ASK, on_register=True, reachable=True, now=NOW)
    assert not lifecycle.may_take_request(None, ASK, on_register=True, reachable=True, now=NOW)
    assert not lifecycle.may_take_request(mentor(), ASK, on_register=False, reachable=True, now=NOW)
    assert not lifecycle.may_take_request(mentor(), ASK, on_register=True, reachable=False, now=NOW)
    away = mentor(away_until=NOW + timedelta(hours=1))
    assert not lifecycle.may_take_request(away, ASK, on_register=True, reachable=True, now=NOW)
