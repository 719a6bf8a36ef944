"""The fake Slack Web API answers as Slack documents, driven by the real slack_sdk clients.

Expected errors and shapes are Slack's method reference (docs.slack.dev/reference/methods/<method>);
each test names the documented fact it checks.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import pytest
from slack_requests import (
    SlackSender,
    block_actions_body,
    event_body,
    signed_headers,
    slash_command_body,
    static_select,
    url_verification_body,
    view_submission_body,
)
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator
from slack_sdk.signature import SignatureVerifier
from slack_sdk.webhook import WebhookClient

from app.sandbox.standin import RATE_LIMIT_SHAPES, FakeSlack, _RateLimit

SECTION = [{"type": "section", "block_id": "b1", "text": {"type": "mrkdwn", "text": "Hello *there*"}}]
MODAL = {
    "type": "modal",
    "callback_id": "ask",
    "title": {"type": "plain_text", "text": "Ask a mentor"},
    "submit": {"type": "plain_text", "text": "Send"},
    "blocks": [
        {
            "type": "input",
            "block_id": "question",
            "label": {"type": "plain_text", "text": "Question"},
            "element": {"type": "plain_text_input", "action_id": "text"},
        }
    ],
}
HOME = {"type": "home", "blocks": SECTION}


@pytest.fixture(scope="module")
def server() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def fake(server: FakeSlack) -> FakeSlack:
    server.reset()
    server.add_user("U1", "ada", real_name="Ada Lovelace", tz="Europe/Berlin")
    server.add_user("U2", "grace", real_name="Grace Hopper", tz="America/New_York")
    server.add_user("U3", "edsger", tz="Europe/Amsterdam")
    server.add_user("U9", "gone", deleted=True)
    server.add_channel("C1", members=["U1", "U2", "U3"])
    return server


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    return WebClient(base_url=fake.api_url, token=fake.bot_token, retry_handlers=[])


def error_of(call: Any) -> str:
    with pytest.raises(SlackApiError) as info:
        call()
    return info.value.response["error"]


# ---- lifecycle, auth, unknown methods -------------------------------------------------------------------


def test_starts_fast_and_stops() -> None:
    started = time.monotonic()
    with FakeSlack() as fake:
        assert fake.api_url.startswith("http://127.0.0.1:") and fake.api_url.endswith("/api/")
        assert fake.client().auth_test()["ok"]
    assert time.monotonic() - started < 1.0


def test_auth_test_answers_like_a_bot_token(fake: FakeSlack, client: WebClient) -> None:
    # auth.test "success_with_bot_token" example: url, team, user, team_id, user_id, bot_id.
    answer = client.auth_test()
    assert answer["user_id"] == fake.bot_user_id and answer["bot_id"] == fake.bot_id
    assert answer["team_id"] == fake.team_id and answer["url"].startswith("https://")
    assert {"team", "user"} <= set(answer.data)


def test_wrong_token_is_invalid_auth_and_no_token_is_not_authed(fake: FakeSlack) -> None:
    # auth.test examples: INVALID_TOKEN -> invalid_auth, no token -> not_authed (both HTTP 200).
    bad = WebClient(base_url=fake.api_url, token="xoxb-wrong", retry_handlers=[])
    with pytest.raises(SlackApiError) as info:
        bad.users_info(user="U1")
    assert info.value.response.status_code == 200 and info.value.response["error"] == "invalid_auth"
    assert error_of(WebClient(base_url=fake.api_url, retry_handlers=[]).auth_test) == "not_authed"


def test_token_as_a_form_parameter_is_accepted_but_not_inside_json(fake: FakeSlack) -> None:
    form = urllib.request.Request(
        fake.api_url + "auth.test", data=f"token={fake.bot_token}".encode(), method="POST"
    )
    with urllib.request.urlopen(form) as resp:
        assert json.loads(resp.read())["ok"] is True
    as_json = urllib.request.Request(
        fake.api_url + "auth.test",
        data=json.dumps({"token": fake.bot_token}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(as_json) as resp:
        assert json.loads(resp.read())["error"] == "not_authed"


def test_unknown_method(client: WebClient) -> None:
    assert error_of(lambda: client.api_call("mentors.summon")) == "unknown_method"


# ---- users ------------------------------------------------------------------------------------------------


def test_users_info_has_profile_and_time_zone(client: WebClient) -> None:
    user = client.users_info(user="U2")["user"]
    assert user["id"] == "U2" and user["name"] == "grace" and user["real_name"] == "Grace Hopper"
    assert user["tz"] == "America/New_York" and user["tz_offset"] in (-18000, -14400)
    assert user["tz_label"] in ("Eastern Standard Time", "Eastern Daylight Time")
    assert user["deleted"] is False and user["is_bot"] is False
    assert user["profile"]["real_name"] == "Grace Hopper" and user["profile"]["display_name"] == "grace"


def test_users_info_unknown_user(client: WebClient) -> None:
    assert error_of(lambda: client.users_info(user="U404")) == "user_not_found"


def test_users_list_paginates_with_cursor(fake: FakeSlack, client: WebClient) -> None:
    # slack_sdk follows response_metadata.next_cursor (it reuses one response object: copy each page)
    pages = [dict(page.data) for page in client.users_list(limit=2)]
    assert [len(p["members"]) for p in pages] == [2, 2, 1]
    assert pages[-1]["response_metadata"]["next_cursor"] == ""
    ids = [m["id"] for p in pages for m in p["members"]]
    assert ids == [fake.bot_user_id, "U1", "U2", "U3", "U9"]  # the bot is a user too, as on Slack
    assert len(client.users_list()["members"]) == 5  # no limit: everything at once
    assert error_of(lambda: client.users_list(cursor="bm9wZQ==")) == "invalid_cursor"


# ---- conversations ----------------------------------------------------------------------------------------


def test_conversations_open_gives_one_stable_id_per_set_of_users(fake: FakeSlack, client: WebClient) -> None:
    first = client.conversations_open(users="U1")
    assert first["channel"]["id"].startswith("D") and "already_open" not in first.data
    again = client.conversations_open(users=["U1", fake.bot_user_id])
    assert again["channel"]["id"] == first["channel"]["id"] == fake.dm_channel_for("U1")
    assert again["already_open"] is True
    group = client.conversations_open(users="U1,U2,U3")["channel"]["id"]
    assert group.startswith("G") and group == client.conversations_open(users="U3,U1,U2")["channel"]["id"]
    full = client.conversations_open(users="U2", return_im=True)["channel"]
    assert full["is_im"] is True and full["user"] == "U2"
    resumed = client.conversations_open(channel=group)
    assert resumed["channel"]["id"] == group


def test_conversations_open_documented_errors(fake: FakeSlack, client: WebClient) -> None:
    assert error_of(lambda: client.conversations_open(users="U9")) == "user_disabled"
    assert error_of(lambda: client.conversations_open(users="U1,U404")) == "user_not_found"
    assert error_of(lambda: client.conversations_open(users=fake.bot_user_id)) == "not_enough_users"
    for i in range(10, 19):
        fake.add_user(f"U{i}")
    nine = ",".join(f"U{i}" for i in range(10, 19))
    assert error_of(lambda: client.conversations_open(users=nine)) == "too_many_users"
    assert error_of(lambda: client.api_call("conversations.open")) == "users_list_not_supplied"
    assert error_of(lambda: client.conversations_open(channel="C404")) == "channel_not_found"


def test_conversations_members_paginates(fake: FakeSlack, client: WebClient) -> None:
    pages = [dict(page.data) for page in client.conversations_members(channel="C1", limit=2)]
    members = [m for p in pages for m in p["members"]]
    assert members == ["U1", "U2", "U3", fake.bot_user_id]  # the bot is a member of channels it is in
    assert len(pages) == 2
    assert error_of(lambda: client.conversations_members(channel="C404")) == "channel_not_found"
    assert error_of(lambda: client.conversations_members(channel="C1", cursor="x")) == "invalid_cursor"
    assert error_of(lambda: client.conversations_members(channel="C1", limit=5000)) == "invalid_limit"


# ---- chat --------------------------------------------------------------------------------------------------


def test_post_message_is_stored_and_answered_with_the_message(fake: FakeSlack, client: WebClient) -> None:
    answer = client.chat_postMessage(channel="C1", text="hello", blocks=SECTION)
    assert answer["channel"] == "C1" and answer["ts"] == answer["message"]["ts"]
    assert answer["message"]["bot_id"] == fake.bot_id and answer["message"]["blocks"] == SECTION
    assert [m["text"] for m in fake.messages_in("C1")] == ["hello"]
    (call,) = fake.calls_to("chat.postMessage")
    assert call.args["blocks"] == SECTION and call.token == fake.bot_token and call.ok


def test_blocks_sent_as_a_form_field_are_decoded(fake: FakeSlack, client: WebClient) -> None:
    client.api_call("chat.postMessage", params={"channel": "C1", "text": "x", "blocks": json.dumps(SECTION)})
    assert fake.calls_to("chat.postMessage")[0].args["blocks"] == SECTION


def test_post_message_to_a_user_id_lands_in_the_dm(fake: FakeSlack, client: WebClient) -> None:
    answer = client.chat_postMessage(channel="U2", text="psst")
    assert answer["channel"] == fake.dm_channel_for("U2")
    assert [m["text"] for m in fake.dms_to("U2")] == ["psst"]


def test_post_message_errors(fake: FakeSlack, client: WebClient) -> None:
    fake.add_channel("C2", members=["U1"], bot_is_member=False)
    assert error_of(lambda: client.chat_postMessage(channel="C404", text="x")) == "channel_not_found"
    assert error_of(lambda: client.chat_postMessage(channel="C2", text="x")) == "not_in_channel"
    assert error_of(lambda: client.api_call("chat.postMessage", json={"channel": "C1"})) == "no_text"
    empty = [{"type": "section", "text": {"type": "mrkdwn", "text": ""}}]
    with pytest.raises(SlackApiError) as info:
        client.chat_postMessage(channel="C1", text="x", blocks=empty)
    assert info.value.response["error"] == "invalid_blocks"
    assert "json-pointer:/blocks/0/text/text" in info.value.response["response_metadata"]["messages"][0]
    too_many = [{"type": "divider"}] * 51
    assert (
        error_of(lambda: client.chat_postMessage(channel="C1", text="x", blocks=too_many)) == "invalid_blocks"
    )
    assert fake.messages_in("C1") == []


def test_update_and_delete(fake: FakeSlack, client: WebClient) -> None:
    ts = client.chat_postMessage(channel="C1", text="v1")["ts"]
    updated = client.chat_update(channel="C1", ts=ts, text="v2", blocks=SECTION)
    assert updated["ts"] == ts and updated["text"] == "v2"
    assert fake.messages_in("C1")[0]["blocks"] == SECTION
    assert error_of(lambda: client.chat_update(channel="C1", ts="1.000001", text="x")) == "message_not_found"
    assert error_of(lambda: client.chat_update(channel="C404", ts=ts, text="x")) == "channel_not_found"
    assert client.chat_delete(channel="C1", ts=ts)["ts"] == ts
    assert fake.messages_in("C1") == []
    assert error_of(lambda: client.chat_delete(channel="C1", ts=ts)) == "message_not_found"


def test_post_ephemeral(fake: FakeSlack, client: WebClient) -> None:
    assert client.chat_postEphemeral(channel="C1", user="U1", text="only you")["message_ts"]
    assert [e["text"] for e in fake.ephemerals_for("U1")] == ["only you"]
    fake.add_user("U5")
    assert (
        error_of(lambda: client.chat_postEphemeral(channel="C1", user="U5", text="x"))
        == "user_not_in_channel"
    )


def test_message_timestamps_are_unique_and_increasing(fake: FakeSlack, client: WebClient) -> None:
    stamps = [client.chat_postMessage(channel="C1", text=str(i))["ts"] for i in range(5)]
    assert stamps == sorted(stamps, key=float) and len(set(stamps)) == 5
    assert all(len(s.split(".")[1]) == 6 for s in stamps)


# ---- views ------------------------------------------------------------------------------------------------


def test_views_open_takes_a_fresh_trigger_once(fake: FakeSlack, client: WebClient) -> None:
    trigger = fake.new_trigger_id("U1")
    view = client.views_open(trigger_id=trigger, view=MODAL)["view"]
    assert view["id"].startswith("V") and view["callback_id"] == "ask" and view["state"] == {"values": {}}
    assert fake.modals_for("U1")[0]["id"] == view["id"]
    assert error_of(lambda: client.views_open(trigger_id=trigger, view=MODAL)) == "exchanged_trigger_id"


def test_views_open_trigger_errors(fake: FakeSlack, client: WebClient) -> None:
    expired = fake.new_trigger_id(expired=True)
    assert error_of(lambda: client.views_open(trigger_id=expired, view=MODAL)) == "expired_trigger_id"
    assert error_of(lambda: client.views_open(trigger_id="not-a-trigger", view=MODAL)) == "invalid_trigger_id"
    never_issued = "123.456.abcdef"
    assert error_of(lambda: client.views_open(trigger_id=never_issued, view=MODAL)) == "invalid_trigger_id"
    fake.trigger_ttl = 0.05
    late = fake.new_trigger_id()
    time.sleep(0.1)
    assert error_of(lambda: client.views_open(trigger_id=late, view=MODAL)) == "expired_trigger_id"


def test_views_open_checks_the_view(fake: FakeSlack, client: WebClient) -> None:
    no_submit = {k: v for k, v in MODAL.items() if k != "submit"}
    with pytest.raises(SlackApiError) as info:
        client.views_open(trigger_id=fake.new_trigger_id(), view=no_submit)
    assert info.value.response["error"] == "invalid_arguments"
    long_title = {**MODAL, "title": {"type": "plain_text", "text": "x" * 25}}
    assert error_of(lambda: client.views_open(trigger_id=fake.new_trigger_id(), view=long_title)) == (
        "invalid_arguments"
    )


def test_views_update_and_publish(fake: FakeSlack, client: WebClient) -> None:
    opened = client.views_open(trigger_id=fake.new_trigger_id("U1"), view=MODAL)["view"]
    changed = {**MODAL, "title": {"type": "plain_text", "text": "Thanks"}}
    updated = client.views_update(view_id=opened["id"], view=changed)["view"]
    assert updated["id"] == opened["id"] and updated["title"]["text"] == "Thanks"
    assert error_of(lambda: client.views_update(view_id="V404", view=changed)) == "not_found"
    assert error_of(lambda: client.views_update(view_id=opened["id"], view=changed, hash="1.stale")) == (
        "hash_conflict"
    )
    home = client.views_publish(user_id="U1", view=HOME)["view"]
    assert home["type"] == "home" and fake.home_view("U1")["blocks"] == SECTION
    assert client.views_publish(user_id="U1", view=HOME)["view"]["id"] == home["id"]
    assert error_of(lambda: client.views_publish(user_id="U404", view=HOME)) == "invalid_arguments"


# ---- files ------------------------------------------------------------------------------------------------


def test_files_upload_v2_round_trip(fake: FakeSlack, client: WebClient) -> None:
    answer = client.files_upload_v2(channel="C1", content="a,b\n1,2\n", filename="stats.csv", title="Stats")
    (shown,) = answer["files"]
    stored = fake.files[shown["id"]]
    assert stored["content"] == b"a,b\n1,2\n" and stored["title"] == "Stats" and stored["channels"] == ["C1"]
    assert fake.messages_in("C1")[0]["files"][0]["id"] == shown["id"]
    assert (
        error_of(lambda: client.files_getUploadURLExternal(filename="x.txt", length=0)) == "missing_argument"
    )
    assert error_of(lambda: client.files_completeUploadExternal(files=[{"id": "F404"}])) == "file_not_found"


# ---- faults and rate limits -------------------------------------------------------------------------------


def test_429_carries_retry_after_and_the_sdk_handler_retries(fake: FakeSlack) -> None:
    plain = WebClient(base_url=fake.api_url, token=fake.bot_token, retry_handlers=[])
    fake.fail_next("chat.postMessage", retry_after=1)
    with pytest.raises(SlackApiError) as info:
        plain.chat_postMessage(channel="C1", text="x")
    assert info.value.response.status_code == 429 and info.value.response["error"] == "ratelimited"
    assert info.value.response.headers["Retry-After"] == "1"

    retrying = WebClient(
        base_url=fake.api_url,
        token=fake.bot_token,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)],
    )
    fake.fail_next("chat.postMessage", retry_after=0)  # 0 keeps the test quick; Slack sends >= 1
    assert retrying.chat_postMessage(channel="C1", text="second")["ok"]
    assert [c.status for c in fake.calls_to("chat.postMessage")] == [429, 429, 200]
    assert fake.rate_limited_count["chat.postMessage"] == 2
    assert [m["text"] for m in fake.messages_in("C1")] == ["second"]


def test_500_and_ok_false_faults(fake: FakeSlack, client: WebClient) -> None:
    fake.fail_next("users.info", error="internal_error", status=500)
    with pytest.raises(SlackApiError) as info:
        client.users_info(user="U1")
    assert info.value.response.status_code == 500
    fake.fail_next("users.info", error="user_not_found", times=2)
    for _ in range(2):
        with pytest.raises(SlackApiError) as info:
            client.users_info(user="U1")
        assert info.value.response.status_code == 200 and info.value.response["error"] == "user_not_found"
    assert client.users_info(user="U1")["ok"]


def test_dropped_connection_raises_and_is_retried_by_the_connection_handler(fake: FakeSlack) -> None:
    plain = WebClient(base_url=fake.api_url, token=fake.bot_token, retry_handlers=[])
    fake.drop_next("chat.postMessage")
    with pytest.raises(OSError):
        plain.chat_postMessage(channel="C1", text="lost")
    assert fake.messages_in("C1") == []

    fake.drop_next("chat.postMessage", after_processing=True)  # posted, but the answer is lost
    with pytest.raises(OSError):
        plain.chat_postMessage(channel="C1", text="posted")
    assert [m["text"] for m in fake.messages_in("C1")] == ["posted"]

    retrying = WebClient(
        base_url=fake.api_url,
        token=fake.bot_token,
        retry_handlers=[
            ConnectionErrorRetryHandler(interval_calculator=FixedValueRetryIntervalCalculator(0.01))
        ],
    )
    fake.drop_next("auth.test")
    assert retrying.auth_test()["ok"]


def test_delay_makes_a_client_time_out(fake: FakeSlack) -> None:
    impatient = WebClient(base_url=fake.api_url, token=fake.bot_token, timeout=0.1, retry_handlers=[])  # type: ignore[arg-type]
    fake.delay("users.info", 0.3)
    with pytest.raises(OSError):
        impatient.users_info(user="U1")
    fake.delay("users.info", 0)
    assert impatient.users_info(user="U1")["ok"]


def test_rate_limiter_answers_429_with_an_integer_retry_after(fake: FakeSlack, client: WebClient) -> None:
    fake.set_rate_limit("chat.postMessage", per_second=1.0, burst=2, per_channel=True)
    fake.add_channel("C2", members=["U1"])
    assert client.chat_postMessage(channel="C1", text="1")["ok"]
    assert client.chat_postMessage(channel="C1", text="2")["ok"]
    with pytest.raises(SlackApiError) as info:
        client.chat_postMessage(channel="C1", text="3")
    assert info.value.response.status_code == 429
    assert int(info.value.response.headers["Retry-After"]) >= 1
    assert client.chat_postMessage(channel="C2", text="other channel")["ok"]  # one bucket per channel
    assert fake.rate_limited_count["chat.postMessage"] == 1


@pytest.mark.parametrize("shape", ["fixed-window", "sliding-window"])
def test_window_limits_answer_429_until_the_window_reopens(
    fake: FakeSlack, client: WebClient, shape: str
) -> None:
    # 3 calls a minute: the window cannot reopen while the test runs, whatever the machine's speed.
    fake.set_rate_limit("chat.postMessage", per_second=3 / 60, burst=3, shape=shape)
    for n in range(3):
        assert client.chat_postMessage(channel="C1", text=str(n))["ok"]
    with pytest.raises(SlackApiError) as info:
        client.chat_postMessage(channel="C1", text="one too many")
    assert info.value.response.status_code == 429
    assert 50 <= int(info.value.response.headers["Retry-After"]) <= 60  # when the minute is over
    assert fake.rate_limited_count["chat.postMessage"] == 1


def test_an_unknown_rate_limit_shape_is_refused(fake: FakeSlack) -> None:
    with pytest.raises(ValueError, match="leaky"):
        fake.set_rate_limit("chat.postMessage", per_second=1.0, shape="leaky")


def test_the_shapes_differ_at_a_window_edge() -> None:
    """5 calls a second, 5 at once: a fixed window allows 5 at the end of one window and 5 more at the
    start of the next; a sliding window allows 5 in any second; a token bucket refills gradually."""

    def accepted(shape: str, times: list[float]) -> int:
        limit = _RateLimit(5.0, 5, shape=shape)
        return sum(1 for t in times if limit.take("", t) is None)

    edge = [0.0] + [0.95 + i * 0.01 for i in range(4)] + [1.0 + i * 0.01 for i in range(5)]
    assert accepted("fixed-window", edge) == 10
    assert accepted("sliding-window", edge) == 6  # only the first call is a second old by then
    assert accepted("token-bucket", edge) == 6  # full again at 0.95; then half a token per 0.1 s
    # Over a long run every shape allows its rate (plus the burst once), however the calls come.
    steady = [i * 0.01 for i in range(1000)]  # 100 a second for 10 s
    for shape in RATE_LIMIT_SHAPES:
        assert 50 <= accepted(shape, steady) <= 50 + 5


def test_retry_after_says_when_a_call_will_be_accepted() -> None:
    for shape in RATE_LIMIT_SHAPES:
        limit = _RateLimit(2.0, 4, shape=shape)  # windows of 2 s
        now = 0.0
        while limit.take("", now) is None:
            now += 0.01
        retry_after = limit.take("", now)
        assert retry_after is not None and retry_after >= 1
        assert limit.take("", now + retry_after) is None, shape


# ---- response_url -----------------------------------------------------------------------------------------


def test_response_url_posts_are_recorded(fake: FakeSlack) -> None:
    hook = WebhookClient(fake.response_url("cmd"))
    answer = hook.send(text="done", response_type="ephemeral", replace_original=True, blocks=SECTION)
    assert answer.status_code == 200
    (post,) = fake.responses_for("cmd")
    assert post.text == "done" and post.blocks == SECTION
    assert post.response_type == "ephemeral" and post.replace_original and not post.delete_original


def test_response_url_allows_five_uses(fake: FakeSlack) -> None:
    hook = WebhookClient(fake.response_url("busy"))
    assert [hook.send(text=str(i)).status_code for i in range(6)] == [200] * 5 + [404]
    fake.expire_response_url("old")
    assert WebhookClient(fake.response_url("old")).send(text="late").status_code == 404


def test_wait_for_returns_the_value_or_explains_the_timeout(fake: FakeSlack, client: WebClient) -> None:
    threading.Timer(0.05, lambda: client.chat_postMessage(channel="C1", text="later")).start()
    assert fake.wait_for(lambda: fake.messages_in("C1"))[0]["text"] == "later"
    with pytest.raises(AssertionError, match=r"chat\.postMessage"):
        fake.wait_for(lambda: fake.messages_in("C404"), timeout=0.05)


# ---- slack_requests ---------------------------------------------------------------------------------------


def test_signed_headers_verify_with_the_sdk() -> None:
    body = slash_command_body(text="ask how?", user_id="U1")
    headers = signed_headers("s3cret", body)
    verifier = SignatureVerifier("s3cret")
    assert verifier.is_valid(body, headers["X-Slack-Request-Timestamp"], headers["X-Slack-Signature"])
    assert verifier.is_valid_request(body, headers)
    assert not SignatureVerifier("other").is_valid_request(body, headers)
    stale = signed_headers("s3cret", body, timestamp=int(time.time()) - 600)
    assert not verifier.is_valid_request(body, stale)


def test_bodies_have_slacks_fields() -> None:
    form = {k: v[0] for k, v in parse_qs(slash_command_body(text="ask x", user_id="U7")).items()}
    assert form["command"] == "/mentor" and form["text"] == "ask x" and form["user_id"] == "U7"
    assert {
        "token",
        "team_id",
        "team_domain",
        "channel_id",
        "channel_name",
        "user_name",
        "api_app_id",
        "is_enterprise_install",
        "response_url",
        "trigger_id",
    } <= form.keys()

    message = {
        "type": "message",
        "ts": "1.000001",
        "channel": "D1",
        "text": "offer",
        "blocks": [
            {
                "type": "actions",
                "block_id": "offer",
                "elements": [{"type": "button", "action_id": "accept", "value": "42"}],
            }
        ],
    }
    action = json.loads(parse_qs(block_actions_body("U1", "accept", "42", message=message))["payload"][0])
    assert action["type"] == "block_actions" and action["user"]["id"] == "U1"
    assert action["container"] == {
        "type": "message",
        "message_ts": "1.000001",
        "channel_id": "D1",
        "is_ephemeral": False,
    }
    assert action["actions"][0] | {"action_ts": None} == {
        "action_id": "accept",
        "block_id": "offer",
        "type": "button",
        "value": "42",
        "action_ts": None,
        "text": {"type": "plain_text", "text": "Button", "emoji": True},
    }
    assert "channel" not in action["message"] and action["channel"]["id"] == "D1"

    submission = json.loads(
        parse_qs(
            view_submission_body(
                "U1",
                "ask",
                {"question": {"text": "How?"}, "topic": {"pick": static_select("sre")}},
                private_metadata="ask:1",
            )
        )["payload"][0]
    )
    values = submission["view"]["state"]["values"]
    assert values["question"]["text"] == {"type": "plain_text_input", "value": "How?"}
    assert values["topic"]["pick"]["selected_option"]["value"] == "sre"
    assert submission["view"]["private_metadata"] == "ask:1" and submission["view"]["callback_id"] == "ask"

    envelope = json.loads(event_body({"type": "app_home_opened", "user": "U1", "tab": "home"}))
    assert envelope["type"] == "event_callback" and envelope["event_id"].startswith("Ev")
    assert envelope["event"]["event_ts"] and isinstance(envelope["event_time"], int)
    assert json.loads(url_verification_body("abc"))["challenge"] == "abc"


@pytest.fixture
def bolt_app_url(fake: FakeSlack) -> Iterator[str]:
    """A minimal Bolt app over HTTP, wired to the fake, to drive SlackSender end to end."""
    from slack_bolt import App, BoltRequest

    app = App(signing_secret="s3cret", client=fake.client())

    @app.command("/mentor")
    def mentor(ack: Any, respond: Any, command: dict[str, Any], client: WebClient) -> None:
        ack()
        client.views_open(trigger_id=command["trigger_id"], view=MODAL)
        respond(text=f"got {command['text']}")

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"])).decode()
            resp = app.dispatch(BoltRequest(body=body, headers={k: [v] for k, v in self.headers.items()}))
            self.send_response(resp.status)
            self.end_headers()
            self.wfile.write(resp.body.encode())

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_sender_drives_a_bolt_app_through_the_fake(fake: FakeSlack, bolt_app_url: str) -> None:
    sender = SlackSender(bolt_app_url, "s3cret", fake=fake)
    status, _headers, _body = sender.command("ask how?", user_id="U1")
    assert status == 200
    key = sender.last_response_key
    assert key is not None
    posts = fake.wait_for(lambda: fake.responses_for(key))
    assert posts[0].text == "got ask how?"
    assert fake.wait_for(lambda: fake.modals_for("U1"))[0]["callback_id"] == "ask"
    bad = sender.post_raw(
        "text=x",
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Slack-Request-Timestamp": str(int(time.time())),
            "X-Slack-Signature": "v0=bad",
        },
    )
    assert bad.status == 401
