"""Bad input of every kind, sent the way Slack (or an impostor) would send it.

Forged, stale and unsigned requests are refused with 401 and change nothing; typos and malformed
commands get an answer that says what works; garbage in a button's value gets a friendly ephemeral
message, never a 500 or a stack trace; the HTTP edge answers odd methods, paths and sizes sensibly.
"""

from __future__ import annotations

import http.client
import json
import time
from urllib.parse import urlsplit

import pytest
from e2e_support import ASKER, MENTOR, OTHER, SIGNING_SECRET, button, slot_buttons, text_of
from slack_requests import (
    FORM,
    JSON,
    app_home_opened_event,
    block_actions_body,
    event_body,
    signed_headers,
    slash_command_body,
    url_verification_body,
)
from sqlalchemy import func, select

from app.db.models import Ask, Meeting, Member, MentorProfile, Notice

LEAKS = ("Traceback", 'File "', "Exception", "Error:", "sqlalchemy", "KeyError", "ValueError")


def assert_no_leak(text: str) -> None:
    for marker in LEAKS:
        assert marker not in text, f"internal detail {marker!r} shown to a person: {text!r}"


def row_counts(engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            model.__tablename__: connection.execute(select(func.count()).select_from(model)).scalar_one()
            for model in (Member, MentorProfile, Ask, Meeting, Notice)
        }


def http_request(
    base_url: str, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, str]:
    parts = urlsplit(base_url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, resp.read().decode("utf-8", errors="replace")
    finally:
        conn.close()


def ack_text(reply) -> str:
    """The visible text of a command's immediate answer (the HTTP response body)."""
    assert reply.status == 200, reply
    assert_no_leak(reply.body)
    answer = reply.json()
    assert answer["response_type"] == "ephemeral"
    return text_of(answer.get("blocks"), answer.get("text", ""))


# --- signatures -------------------------------------------------------------------------------------------


def _join_body(fake) -> str:
    return slash_command_body(
        text="join #python",
        user_id=MENTOR,
        team_id=fake.team_id,
        trigger_id=fake.new_trigger_id(MENTOR),
        response_url=fake.response_url("forged"),
    )


BODIES = {
    "command": lambda fake: (_join_body(fake), FORM),
    "action": lambda fake: (
        block_actions_body(ASKER, "accept_request", "1", response_url=fake.response_url("forged")),
        FORM,
    ),
    "event": lambda fake: (event_body(app_home_opened_event(ASKER)), JSON),
}


def assert_nothing_happened(harness, engine) -> None:
    harness.wait_idle()  # anything the bot would still do after an ack is done
    assert harness.fake.calls == [], harness.fake.dump()
    assert harness.fake.responses_for("forged") == []
    assert set(row_counts(engine).values()) == {0}


@pytest.mark.parametrize("kind", sorted(BODIES))
def test_a_forged_signature_is_refused_and_changes_nothing(harness, engine, kind):
    body, content_type = BODIES[kind](harness.fake)
    headers = signed_headers("not-the-signing-secret", body, content_type=content_type)
    reply = harness.sender.post_raw(body, headers)
    assert reply.status == 401
    assert_nothing_happened(harness, engine)


def test_a_tampered_body_is_refused(harness, engine):
    body = _join_body(harness.fake)
    headers = signed_headers(SIGNING_SECRET, body)
    reply = harness.sender.post_raw(body.replace("python", "pyth0n"), headers)
    assert reply.status == 401
    assert_nothing_happened(harness, engine)


def test_a_stale_timestamp_is_refused(harness, engine):
    body = _join_body(harness.fake)
    # Correctly signed, but six minutes old: a replay.
    reply = harness.sender.post(body, FORM, timestamp=int(time.time()) - 6 * 60)
    assert reply.status == 401
    assert_nothing_happened(harness, engine)


def test_a_timestamp_from_the_future_is_refused(harness, engine):
    body = _join_body(harness.fake)
    reply = harness.sender.post(body, FORM, timestamp=int(time.time()) + 6 * 60)
    assert reply.status == 401
    assert_nothing_happened(harness, engine)


def test_missing_signature_headers_are_refused(harness, engine):
    body = _join_body(harness.fake)
    for missing in (
        ["X-Slack-Signature"],
        ["X-Slack-Request-Timestamp"],
        ["X-Slack-Signature", "X-Slack-Request-Timestamp"],
    ):
        headers = signed_headers(SIGNING_SECRET, body)
        for name in missing:
            del headers[name]
        assert harness.sender.post_raw(body, headers).status == 401, missing
    assert_nothing_happened(harness, engine)


def test_a_correctly_signed_request_is_accepted(harness, engine):
    # The control for the tests above: the same body, signed properly, does what it says.
    body = _join_body(harness.fake)
    assert harness.sender.post(body).status == 200
    answer = harness.fake.wait_for(lambda: harness.fake.responses_for("forged"))[-1]
    assert "Welcome to the mentor register" in text_of(answer.blocks, answer.text)
    assert row_counts(engine)["mentor_profiles"] == 1


# --- commands ---------------------------------------------------------------------------------------------


def test_ask_without_a_goal_says_a_goal_is_needed_with_an_example(harness, engine):
    for text in ("ask", "ask   ", "ask #python", "ask #python #career"):
        said = ack_text(harness.command(ASKER, text))
        assert "what you'd like to get out of the conversation" in said, text
        assert "/mentor ask How do I prepare for on-call? #sre" in said, text
    assert row_counts(engine)["asks"] == 0


def test_a_goal_over_300_characters_names_the_limit(harness, engine):
    goal = "x" * 301
    said = ack_text(harness.command(ASKER, f"ask {goal} #python"))
    assert "300" in said and "301" in said
    assert row_counts(engine)["asks"] == 0


def test_a_goal_of_exactly_300_characters_is_fine(harness, engine):
    goal = "ab " * 99 + "abc"
    assert len(goal) == 300
    answer = harness.answer(ASKER, f"ask {goal}")
    assert "Nobody on the mentor register is available" in text_of(answer.blocks, answer.text)
    assert row_counts(engine)["asks"] == 1


def test_an_overlong_goal_gets_the_one_message_both_ways_in_and_changes_nothing(harness, engine):
    # app/domain/goal.py: at most 300 characters (the goal column is VARCHAR(300)), in the same words
    # whether the goal came after /mentor ask or through the Home's ask form.
    too_long = "A goal can be at most 300 characters; yours has 301 characters."
    said = ack_text(harness.command(ASKER, f"ask {'x' * 301} #python"))
    assert said.startswith(too_long + " "), said  # then, as every refusal of a command, what works
    assert "/mentor ask How do I prepare for on-call? #sre" in said
    refused = harness.sender.last_response_key
    reply = harness.sender.submit(
        ASKER,
        "ask_modal",
        values={"goal": {"goal_input": " " + "g" * 301 + "\n"}, "ask_topics": {"ask_topics_input": ""}},
    )
    assert reply.status == 200
    assert reply.json() == {"response_action": "errors", "errors": {"goal": too_long}}
    assert set(row_counts(engine).values()) == {0}
    # A goal at the limit, sent next, is answered; by then anything the refusals did would show.
    answer = harness.answer(ASKER, f"ask {'y' * 300}")
    assert "Nobody on the mentor register is available" in text_of(answer.blocks, answer.text)
    assert harness.fake.responses_for(refused) == []
    with engine.connect() as connection:
        assert connection.execute(select(Ask.goal)).scalars().all() == ["y" * 300]


def test_an_unknown_sub_command_gets_the_help(harness):
    said = ack_text(harness.command(ASKER, "xyz please"))
    assert "I don't know `xyz`" in said
    for command in ("/mentor ask", "/mentor join", "/mentor list"):
        assert command in said


def test_an_unknown_sub_command_is_shown_as_text_not_markup(harness):
    said = ack_text(harness.command(ASKER, "<!channel>"))
    assert "<!channel>" not in said and "&lt;!channel&gt;" in said


def test_help_lists_the_commands(harness):
    for text in ("", "   ", "help", "HELP", "?"):
        said = ack_text(harness.command(ASKER, text))
        assert "I don't know" not in said, text
        for command in ("/mentor ask", "/mentor join", "/mentor list"):
            assert command in said, (text, command)


def test_admin_figures_are_refused_to_non_admins(harness, engine):
    for text in ("stats", "stats 90d", "export"):
        answer = harness.answer(ASKER, text)
        refused = "Only Mentorbot admins can do that. Ask one of them, or see `/mentor help`."
        assert refused in answer.text, text
    assert harness.fake.calls_to("files.completeUploadExternal") == []
    counts = row_counts(engine)
    assert counts["asks"] == counts["meetings"] == counts["notices"] == counts["mentor_profiles"] == 0


def test_malformed_arguments_say_what_works(harness, engine):
    for text, expected in (
        ("available maybe", "`/mentor available on`"),
        ("away someday", "`/mentor away 2w`"),
        ("join #" + "t" * 40, "at most 30"),
        ("join #a #b #c #d #e #f", "at most 5"),
        ("join python", "start each topic with #"),
    ):
        assert expected in ack_text(harness.command(MENTOR, text)), text
    assert set(row_counts(engine).values()) == {0}


# --- buttons with garbage in them -------------------------------------------------------------------------


GARBAGE = [
    ("pick_slot", "nonsense"),
    ("pick_slot_0", "{}"),
    ("pick_slot_1", "[]"),
    ("pick_slot_2", '{"a": "x", "m": "U1", "s": 1}'),
    ("pick_slot", '{"a": 1, "m": "U1", "s": 99999999999999999999}'),
    ("pick_slot", ""),
    ("accept_request", "abc"),
    ("accept_request", ""),
    ("decline_request", "1.5"),
    ("cancel_meeting", "abc"),
    ("show_options", "abc"),
    ("rate_3", "abc"),
    ("goal_met_yes", "abc"),
    # Forged values that int() or json.loads() would have let through, and the buttons added since.
    ("accept_request", "+1"),
    ("accept_request", " 1"),
    ("accept_request", "0"),
    ("accept_request", "-3"),
    ("accept_request", "1" * 40),
    ("cancel_meeting", "١٢"),  # Arabic-Indic digits: int() reads them as 12
    ("pick_slot_0", '{"a": true, "m": "UMENTOR01", "s": 1900000000}'),
    ("pick_slot_0", '{"a": 1, "m": "<!channel>", "s": 1900000000}'),
    ("pick_slot_0", '{"a": 1, "m": "UMENTOR01", "s": 1900000000.5}'),
    ("pick_slot_0", '{"a": 1, "m": "UMENTOR01", "s": 1900000000, "x": 1}'),
    ("feedback_note", "abc"),
    ("not_a_good_fit", "abc"),
    ("mentor_available", "maybe"),
    ("coffee_pause", "abc"),
    ("coffee_pause", "0"),
    ("coffee_pause", "9999"),
    ("coffee_met_yes", "abc"),
    ("directory_page_next", "2"),
    ("directory_page_next", '{"p": 0, "t": []}'),
    ("directory_page_next", '{"p": 2, "t": ["<!channel>"]}'),
    ("ask_mentor_0", '{"m": "<!channel>", "t": []}'),
    ("ask_mentor_0", '{"m": "UMENTOR01"}'),
]


def test_a_button_with_a_garbage_value_gets_a_friendly_answer(harness, engine):
    for action_id, value in GARBAGE:
        answer = harness.click(ASKER, action_id, value)
        said = text_of(answer.blocks, answer.text)
        assert_no_leak(json.dumps(answer.body))
        assert answer.response_type == "ephemeral" and not answer.replace_original, (action_id, value)
        assert "doesn't carry" in said and "again" in said, (action_id, value, said)
        assert "went wrong on my side" not in said  # bad input is not an outage
    counts = row_counts(engine)
    assert counts["asks"] == counts["meetings"] == counts["notices"] == 0


POINTING_AT_NOTHING = [
    ("accept_request", "424242", "can't find that conversation"),
    ("decline_request", "424242", "can't find that conversation"),
    ("cancel_meeting", "424242", "can't find that conversation"),
    ("show_options", "424242", "can't find that request"),
    ("pick_slot_0", '{"a": 424242, "m": "UMENTOR01", "s": 1900000000}', "can't find that request"),
    ("rate_5", "424242", "can't find that conversation"),
]


def test_a_button_pointing_at_nothing_says_so(harness):
    for action_id, value, expected in POINTING_AT_NOTHING:
        _assert_pointing_at_nothing(harness, action_id, value, expected)


def _assert_pointing_at_nothing(harness, action_id, value, expected):
    answer = harness.click(ASKER, action_id, value)
    said = text_of(answer.blocks, answer.text)
    assert_no_leak(json.dumps(answer.body))
    assert expected in said, (action_id, value, said)


def test_an_unknown_button_is_refused_without_a_500(harness, engine):
    # Bolt answers an action nobody listens for with 404 (e.g. a button from an older release).
    reply = harness.sender.action(ASKER, "no_such_button", "1")
    assert reply.status == 404
    assert_no_leak(reply.body)
    harness.wait_idle()
    assert harness.fake.responses_for(harness.sender.last_response_key) == []
    assert set(row_counts(engine).values()) == {0}


def _requested_meeting(harness, engine):
    harness.answer(MENTOR, "join #python")
    offers = harness.answer(ASKER, "ask How do I profile Python code? #python")
    chosen = slot_buttons(offers.blocks)[0]
    harness.click(ASKER, chosen["action_id"], chosen["value"])
    harness.deliver()
    request = harness.fake.dms_to(MENTOR)[-1]
    with engine.connect() as connection:
        meeting_id = connection.execute(select(Meeting.id)).scalar_one()
    return request, meeting_id


@pytest.mark.parametrize("action_id", ["accept_request", "decline_request"])
def test_someone_else_answering_a_request_is_refused_politely(harness, engine, action_id):
    request, meeting_id = _requested_meeting(harness, engine)
    value = button(request["blocks"], action_id)["value"]
    assert value == str(meeting_id)
    # OTHER got hold of the mentor's message (forwarded, or a crafted payload) and clicks.
    answer = harness.click(OTHER, action_id, value, message=request)
    said = text_of(answer.blocks, answer.text)
    assert "Only the people in this conversation can do that" in said
    assert answer.response_type == "ephemeral" and not answer.replace_original
    with engine.connect() as connection:
        assert connection.execute(select(Meeting.status)).scalar_one() == "requested"
    harness.deliver()
    assert harness.fake.calls_to("conversations.open", ok=True)[-1].args["users"] == MENTOR  # no group DM


def test_the_asker_cannot_accept_their_own_request(harness, engine):
    request, meeting_id = _requested_meeting(harness, engine)
    answer = harness.click(ASKER, "accept_request", str(meeting_id), message=request)
    assert "Only the people in this conversation can do that" in text_of(answer.blocks, answer.text)
    with engine.connect() as connection:
        assert connection.execute(select(Meeting.status)).scalar_one() == "requested"


def test_someone_else_picking_a_slot_of_anothers_ask_is_refused(harness, engine):
    harness.answer(MENTOR, "join #python")
    offers = harness.answer(ASKER, "ask How do I profile Python code? #python")
    chosen = slot_buttons(offers.blocks)[0]
    answer = harness.click(OTHER, chosen["action_id"], chosen["value"])
    assert "belong to somebody else's request" in text_of(answer.blocks, answer.text)
    assert row_counts(engine)["meetings"] == 0


# --- the HTTP edge ----------------------------------------------------------------------------------------


def test_healthz(harness):
    status, body = http_request(harness.base_url, "GET", "/healthz")
    assert (status, json.loads(body)) == (200, {"ok": True})


def test_get_on_the_events_path_is_405(harness):
    status, body = http_request(harness.base_url, "GET", "/slack/events")
    assert status == 405 and json.loads(body)["ok"] is False


def test_unknown_paths_are_404(harness):
    for method, path in (
        ("GET", "/"),
        ("GET", "/admin"),
        ("POST", "/slack/event"),
        ("POST", "/slack/events/x"),
    ):
        status, body = http_request(harness.base_url, method, path, body=b"" if method == "POST" else None)
        assert (status, json.loads(body)) == (404, {"ok": False, "error": "not_found"}), (method, path)


def test_a_body_over_one_mebibyte_is_413(harness, engine):
    body = slash_command_body(text="ask " + "x" * (1024 * 1024), user_id=ASKER)
    assert len(body) > 1024 * 1024
    headers = signed_headers(SIGNING_SECRET, body)  # a valid signature: size alone is the reason
    parts = urlsplit(harness.base_url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        # Announce the size and wait: the bot must refuse before reading the body. (Sending the body
        # as well races with the server closing the connection on us.)
        conn.putrequest("POST", "/slack/events")
        for name, value in {**headers, "Content-Length": str(len(body))}.items():
            conn.putheader(name, value)
        conn.endheaders()
        status = conn.getresponse().status
    finally:
        conn.close()
    assert status == 413
    assert harness.fake.calls == []
    assert set(row_counts(engine).values()) == {0}


def test_a_body_of_garbage_bytes_is_not_a_500(harness, engine):
    body = "\x00\xff not a form at all %%%"
    reply = harness.sender.post(body, FORM)
    assert reply.status < 500
    assert_no_leak(reply.body)


def test_url_verification_echoes_the_challenge(harness):
    reply = harness.sender.url_verification("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P")
    assert reply.status == 200
    assert reply.json() == {"challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}


def test_url_verification_with_a_forged_signature_is_refused(harness):
    body = url_verification_body("abc")
    reply = harness.sender.post_raw(body, signed_headers("wrong", body, content_type=JSON))
    assert reply.status == 401 and "abc" not in reply.body


# --- modals whose private_metadata the app did not write -------------------------------------------------


def test_a_note_form_with_stale_metadata_is_answered_beside_the_field(harness, engine):
    for metadata in ("", "abc", "0", "https://hooks.slack.com/actions/T1/1/x", '{"c": "C1"}'):
        reply = harness.sender.submit(
            ASKER, "feedback_note", values={"note": {"note_input": "x"}}, private_metadata=metadata
        )
        assert reply.status == 200, reply
        answer = reply.json()
        assert answer["response_action"] == "errors", metadata
        assert "lost track of its conversation" in answer["errors"]["note"], metadata
    assert set(row_counts(engine).values()) == {0}


def _profile_values() -> dict:
    return {
        "topics": {"topics_input": "python"},
        "windows": {"windows_input": "Mon-Fri 09:00-17:00"},
        "capacity": {"capacity_input": {"type": "number_input", "value": "2"}},
    }


def test_a_profile_form_from_before_the_upgrade_still_saves_and_confirms_in_the_dm(harness, engine):
    # Modals opened by an older release carry the command's response_url; nothing is posted to it.
    old = harness.fake.response_url("old-release")
    reply = harness.sender.submit(MENTOR, "mentor_profile", values=_profile_values(), private_metadata=old)
    assert reply.status == 200 and not reply.body, reply
    dm = harness.fake.wait_for(lambda: harness.fake.dms_to(MENTOR))[-1]
    assert "Your mentor profile is saved" in text_of(dm.get("blocks"), dm.get("text", ""))
    assert harness.fake.responses_for("old-release") == []
    assert row_counts(engine)["mentor_profiles"] == 1


@pytest.mark.parametrize("metadata", ["nonsense", '{"c": "<!channel>"}', '{"c": "C1", "u": "x"}', "[]"])
def test_a_profile_form_with_forged_metadata_saves_and_confirms_only_in_the_dm(harness, engine, metadata):
    harness.fake.add_channel("C1", members=[MENTOR], name="general")
    reply = harness.sender.submit(
        MENTOR, "mentor_profile", values=_profile_values(), private_metadata=metadata
    )
    assert reply.status == 200 and not reply.body, reply
    dm = harness.fake.wait_for(lambda: harness.fake.dms_to(MENTOR))[-1]
    assert "Your mentor profile is saved" in text_of(dm.get("blocks"), dm.get("text", ""))
    assert harness.fake.ephemerals_for(MENTOR) == []


def test_the_profile_confirmation_goes_to_the_dm_where_the_bot_cannot_post(harness, engine):
    # A command typed in a channel the bot is not in: Slack refuses an ephemeral message there.
    harness.fake.add_channel("CNOBOT1", members=[MENTOR], name="elsewhere", bot_is_member=False)
    harness.sender.command("profile", MENTOR, channel_id="CNOBOT1")
    modal = harness.fake.wait_for(lambda: harness.fake.modals_for(MENTOR))[-1]
    assert json.loads(modal["private_metadata"]) == {"c": "CNOBOT1"}
    reply = harness.sender.submit(MENTOR, values=_profile_values(), view=modal)
    assert reply.status == 200 and not reply.body, reply
    dm = harness.fake.wait_for(lambda: harness.fake.dms_to(MENTOR))[-1]
    assert "Your mentor profile is saved" in text_of(dm.get("blocks"), dm.get("text", ""))
    assert harness.fake.ephemerals_for(MENTOR) == []
