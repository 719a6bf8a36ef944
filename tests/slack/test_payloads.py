"""Button values and private_metadata: every payload reads back what it wrote, and nothing else."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.errors import InvalidInput
from app.slack.payloads import (
    MAX_ID,
    AskForm,
    AskRef,
    Availability,
    BadPayload,
    CoffeeGroupRef,
    DirectoryPageRef,
    MeetingRef,
    MentorPick,
    NoteForm,
    PauseDays,
    ProfileForm,
    SlotPick,
)

ids = st.integers(min_value=1, max_value=MAX_ID)
user_ids = st.from_regex(r"[UW][A-Z0-9]{1,12}", fullmatch=True)
channel_ids = st.from_regex(r"[CDG][A-Z0-9]{1,12}", fullmatch=True)
starts = st.integers(min_value=946_684_800, max_value=4_102_444_800).map(
    lambda s: datetime.fromtimestamp(s, UTC)
)

REFS = [MeetingRef, AskRef, CoffeeGroupRef, NoteForm]


# --- round trips ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("ref", REFS)
@given(value=ids)
def test_an_id_payload_reads_back_what_it_wrote(ref, value):
    assert ref.decode(ref(value).encode()) == ref(value)


@given(ask_id=ids, mentor_id=user_ids, start=starts)
def test_a_slot_reads_back_what_it_wrote(ask_id, mentor_id, start):
    pick = SlotPick(ask_id, mentor_id, start)
    assert SlotPick.decode(pick.encode()) == pick
    assert len(pick.encode()) <= 2000  # Slack's limit for a button value


@given(channel=st.none() | channel_ids)
def test_a_profile_form_reads_back_where_it_was_opened(channel):
    form = ProfileForm(channel)
    assert ProfileForm.decode(form.encode()) == form
    assert "http" not in form.encode()  # never a response_url


@pytest.mark.parametrize("available", [True, False])
def test_availability_round_trips(available):
    assert Availability.decode(Availability(available).encode()) == Availability(available)


@given(days=st.integers(min_value=1, max_value=365))
def test_pause_days_round_trip(days):
    assert PauseDays.decode(PauseDays(days).encode()) == PauseDays(days)


# --- the wire formats buttons already in people's DMs carry ---------------------------------------------


def test_the_formats_of_earlier_releases_still_read():
    assert MeetingRef.decode("42") == MeetingRef(42)
    assert NoteForm.decode("7") == NoteForm(7)
    assert PauseDays.decode("14") == PauseDays(14)
    assert Availability.decode("on") == Availability(True)
    start = datetime(2030, 3, 4, 9, 30, tzinfo=UTC)
    old = json.dumps({"a": 5, "m": "UMENTOR01", "s": int(start.timestamp())}, separators=(",", ":"))
    assert SlotPick.decode(old) == SlotPick(5, "UMENTOR01", start)


# --- garbage ------------------------------------------------------------------------------------------


ID_GARBAGE = ["", "abc", "0", "-1", "+1", " 1", "1 ", "1.5", "1e3", "١٢", "1" * 20, str(MAX_ID + 1), "true"]


@pytest.mark.parametrize("ref", REFS)
@pytest.mark.parametrize("raw", ID_GARBAGE)
def test_an_id_payload_refuses_garbage(ref, raw):
    with pytest.raises(BadPayload):
        ref.decode(raw)


SLOT_GARBAGE = [
    "",
    "nonsense",
    "[]",
    "{}",
    "null",
    '{"a": 1, "m": "U1"}',
    '{"a": "1", "m": "U1", "s": 1900000000}',
    '{"a": true, "m": "U1", "s": 1900000000}',
    '{"a": 0, "m": "U1", "s": 1900000000}',
    '{"a": 1, "m": 7, "s": 1900000000}',
    '{"a": 1, "m": "<!channel>", "s": 1900000000}',
    '{"a": 1, "m": "u1", "s": 1900000000}',
    '{"a": 1, "m": "U1", "s": "1900000000"}',
    '{"a": 1, "m": "U1", "s": 1900000000.5}',
    '{"a": 1, "m": "U1", "s": 99999999999999999999}',
    '{"a": 1, "m": "U1", "s": -1}',
    '{"a": 1, "m": "U1", "s": 1900000000, "x": 0}',
]


@pytest.mark.parametrize("raw", SLOT_GARBAGE)
def test_a_slot_refuses_garbage(raw):
    with pytest.raises(BadPayload, match="slot"):
        SlotPick.decode(raw)


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "nonsense",
        "https://hooks.slack.com/actions/T1/1/x",
        "[]",
        '{"c": 1}',
        '{"c": "<!here>"}',
        '{"u": "x"}',
    ],
)
def test_a_profile_form_refuses_garbage_and_old_response_urls(raw):
    with pytest.raises(BadPayload, match="open it again"):
        ProfileForm.decode(raw)


@pytest.mark.parametrize("raw", ["", "yes", "ON", "1", " on"])
def test_availability_refuses_garbage(raw):
    with pytest.raises(BadPayload):
        Availability.decode(raw)


@pytest.mark.parametrize("raw", ["", "0", "366", "9999", "-1", "abc", "1.5"])
def test_pause_days_refuses_garbage(raw):
    with pytest.raises(BadPayload):
        PauseDays.decode(raw)


def test_bad_payload_is_an_input_error_with_words_for_a_person():
    # The error handler renders an InvalidInput as an ephemeral message, never a stack trace.
    error = BadPayload()
    assert isinstance(error, InvalidInput)
    assert "doesn't carry" in error.message and "again" in error.message


# --- the register's buttons and the aimed ask form -----------------------------------------------------

_topic = st.from_regex(r"[a-z0-9+._-]{1,30}", fullmatch=True)
_user = st.from_regex(r"U[A-Z0-9]{1,30}", fullmatch=True)


@given(page=st.integers(min_value=1, max_value=10_000), topics=st.lists(_topic, max_size=5))
def test_a_directory_page_reads_back_what_it_wrote(page, topics):
    ref = DirectoryPageRef(page, tuple(topics))
    assert DirectoryPageRef.decode(ref.encode()) == ref


@given(mentor=_user, topics=st.lists(_topic, max_size=5))
def test_a_mentor_pick_and_an_aimed_ask_form_read_back_what_they_wrote(mentor, topics):
    pick = MentorPick(mentor, tuple(topics))
    assert MentorPick.decode(pick.encode()) == pick
    assert AskForm.decode(AskForm(mentor).encode()) == AskForm(mentor)
    assert AskForm.decode("") == AskForm(None) and AskForm(None).encode() == ""


@pytest.mark.parametrize(
    ("kind", "raw"),
    [
        (DirectoryPageRef, '{"p": 0, "t": []}'),
        (DirectoryPageRef, '{"p": true, "t": []}'),
        (DirectoryPageRef, '{"p": 1, "t": ["a", "b", "c", "d", "e", "f"]}'),
        (DirectoryPageRef, '{"p": 1, "t": ["Not A Topic"]}'),
        (DirectoryPageRef, '{"p": 1}'),
        (MentorPick, '{"m": "C123", "t": []}'),
        (MentorPick, '{"m": "U1", "t": "python"}'),
        (MentorPick, "[]"),
        (AskForm, '{"m": "<!here>"}'),
        (AskForm, '{"c": "C123"}'),
        (AskForm, "not json"),
    ],
)
def test_the_register_payloads_refuse_garbage(kind, raw):
    with pytest.raises(BadPayload):
        kind.decode(raw)


@given(ids)
def test_a_session_button_reads_back_its_session(session_id):
    from app.slack.payloads import SessionRef

    assert SessionRef.decode(SessionRef(session_id).encode()) == SessionRef(session_id)


@pytest.mark.parametrize("raw", ["", "1", "s", "s0", "s-1", "s+1", "s 1", f"s{MAX_ID + 1}", "x1", "s1.0"])
def test_a_session_button_refuses_what_it_did_not_write(raw):
    from app.slack.payloads import SessionRef

    with pytest.raises(BadPayload):
        SessionRef.decode(raw)
