"""Running the bot: repeated events, people who left, /metrics and the request log.

Slack retries an event it thinks we missed (X-Slack-Retry-Num); the bot must act once. People whose
DMs Slack refuses for good are left out of matches and rounds until they show up again, and admins
see how many messages failed and why. Operators get Prometheus metrics and one log line per request.
"""

from __future__ import annotations

import http.client
import logging
import time
from urllib.parse import urlsplit

import pytest
from e2e_support import ADMIN, ASKER, MENTOR, OTHER, slot_buttons, text_of
from prometheus_client.parser import text_string_to_metric_families
from slack_requests import JSON, app_home_opened_event, event_body, signed_headers
from sqlalchemy import func, select, update

from app.bootstrap import create_bot
from app.db.models import CoffeeRound, Meeting, Member, Notice
from app.services.people import Person


def publishes_for(h, user_id):
    return [c for c in h.fake.calls_to("views.publish") if c.args.get("user_id") == user_id]


# --- the same event twice -----------------------------------------------------------------------------


def test_an_event_slack_retries_has_one_effect(harness):
    body = event_body(
        app_home_opened_event(ASKER), api_app_id=harness.sender.api_app_id, event_id="Ev0RETRY001"
    )
    first = harness.sender.post_raw(body, signed_headers(harness.sender.signing_secret, body, None, JSON))
    assert first.status == 200
    harness.fake.wait_for(lambda: publishes_for(harness, ASKER))
    # Slack didn't see our answer in time and sends the very same event again, saying so in headers.
    headers = {
        **signed_headers(harness.sender.signing_secret, body, None, JSON),
        "X-Slack-Retry-Num": "1",
        "X-Slack-Retry-Reason": "http_timeout",
    }
    retry = harness.sender.post_raw(body, headers)
    assert retry.status == 200  # acknowledged, so Slack stops retrying
    # A different event after it: once its Home is out, the retry has had every chance to act.
    harness.sender.event(app_home_opened_event(OTHER))
    harness.fake.wait_for(lambda: publishes_for(harness, OTHER))
    harness.wait_idle()
    assert len(publishes_for(harness, ASKER)) == 1


def test_events_with_different_ids_each_take_effect(harness):
    harness.sender.event(app_home_opened_event(ASKER))
    harness.fake.wait_for(lambda: publishes_for(harness, ASKER))
    harness.sender.event(app_home_opened_event(ASKER))
    harness.fake.wait_for(lambda: len(publishes_for(harness, ASKER)) == 2)


# --- people who left ----------------------------------------------------------------------------------


def test_a_mentor_who_left_is_left_out_until_they_come_back(harness, engine):
    assert "Welcome" in text_of(*_answer(harness, MENTOR, "join #python"))
    offers = harness.answer(ASKER, "ask How do I profile Python? #python")
    chosen = slot_buttons(offers.blocks)[0]
    harness.click(ASKER, chosen["action_id"], chosen["value"])
    harness.fake.deactivate_user(MENTOR)  # leaves the company before the request reaches them
    harness.deliver()

    with engine.connect() as connection:
        failed = connection.execute(select(Notice.kind, Notice.last_error).where(Notice.status == "failed"))
        assert ("mentor_request", "user_disabled") in failed.all()
        member = connection.execute(select(Member).where(Member.user_id == MENTOR)).one()
        assert member.unreachable_since is not None and member.unreachable_reason == "user_disabled"
        # The slot is freed and the asker hears it now, not when the request would have expired.
        assert connection.execute(select(Meeting.status, Meeting.hold_start)).all() == [("declined", None)]
    harness.deliver()
    told = harness.fake.messages_in(harness.fake.dm_channel_for(ASKER))[-1]
    assert "can't be reached on Slack right now" in text_of(told["blocks"], told["text"])

    other = harness.answer(OTHER, "ask How do I profile Python? #python")
    assert f"<@{MENTOR}>" not in text_of(other.blocks, other.text)
    assert not slot_buttons(other.blocks)

    stats = text_of(*_answer(harness, ADMIN, "stats"))
    assert "*Delivery:* 1 message could not be delivered (`user_disabled` 1)" in stats
    assert "*Unreachable:* 1 person" in stats

    harness.fake.users[MENTOR]["deleted"] = False  # back (re-activated), and using the bot again
    harness.answer(MENTOR, "join #python")
    with engine.connect() as connection:
        assert connection.scalar(select(Member.unreachable_since).where(Member.user_id == MENTOR)) is None
    again = harness.answer(OTHER, "ask How do I profile Python? #python")
    assert f"<@{MENTOR}>" in text_of(again.blocks, again.text)


def test_a_coffee_group_is_introduced_without_the_person_who_left(harness, engine):
    for user_id in (MENTOR, ASKER, OTHER):
        harness.answer(user_id, "coffee join")
    summary = harness.bot.services.roulette.run_now(_admin(harness))
    assert [sorted(g) for g in summary.groups] == [sorted([MENTOR, ASKER, OTHER])]
    harness.fake.deactivate_user(OTHER)
    harness.deliver()
    intros = harness.fake.messages_in(harness.fake.dm_channel_for(MENTOR, ASKER))
    assert len(intros) == 1
    text = text_of(intros[0]["blocks"], intros[0]["text"])
    assert "coffee pair" in text and f"<@{OTHER}>" not in text
    with engine.connect() as connection:
        assert connection.scalar(select(Member.unreachable_reason).where(Member.user_id == OTHER)) == (
            "user_disabled"
        )
    # The next round's pool leaves them out.
    assert OTHER not in {m for g in harness.bot.services.roulette.preview(_admin(harness)).groups for m in g}


# --- Slack down for a while ---------------------------------------------------------------------------


def test_a_long_slack_outage_keeps_notices_queued_and_commands_answered(harness, engine):
    for user_id in (MENTOR, ASKER):
        harness.answer(user_id, "coffee join")
    harness.bot.services.roulette.run_now(_admin(harness))
    harness.fake.fail_next("conversations.open", "internal_error", status=500, times=10_000)
    for _ in range(12):  # more attempts than any "give up after N" would allow
        assert harness.bot.dispatcher.deliver_due() == 0
        _make_queued_notices_due(harness, engine)
    with engine.connect() as connection:
        assert connection.execute(select(Notice.status, Notice.last_error)).all() == [
            ("queued", "internal_error")
        ]
    status = harness.answer(ASKER, "coffee status")  # still serving people meanwhile
    assert "You're *in*" in text_of(status.blocks, status.text)

    harness.fake.clear_faults()  # Slack is back
    _make_queued_notices_due(harness, engine)
    assert harness.bot.dispatcher.deliver_due() == 1
    assert len(harness.fake.messages_in(harness.fake.dm_channel_for(MENTOR, ASKER))) == 1


def _make_queued_notices_due(h, engine):
    with engine.begin() as connection:
        connection.execute(update(Notice).where(Notice.status == "queued").values(due_at=h.clock.now()))


# --- /metrics -----------------------------------------------------------------------------------------


def test_metrics_count_requests_notices_and_rounds(harness, engine):
    harness.answer(ASKER, "coffee status")
    harness.sender.post("command=%2Fmentor&text=help", timestamp=int(time.time()) - 600)  # stale: 401
    for user_id in (MENTOR, ASKER):
        harness.answer(user_id, "coffee join")
    harness.bot.services.roulette.run_now(_admin(harness))  # one intro queued

    status, content_type, text = _get(harness, "/metrics")
    assert status == 200 and content_type.startswith("text/plain")
    samples = {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }
    assert samples[("mentorbot_slack_requests_total", (("kind", "command"), ("status", "200")))] == 3
    assert samples[("mentorbot_slack_requests_total", (("kind", "rejected"), ("status", "401")))] == 1
    assert samples[("mentorbot_slack_ack_seconds_count", (("kind", "command"),))] == 3
    with engine.connect() as connection:
        queued = connection.scalar(select(func.count()).select_from(Notice).where(Notice.status == "queued"))
        rounds = connection.scalar(select(func.count()).select_from(CoffeeRound))
    assert samples[("mentorbot_notices", (("status", "queued"),))] == queued >= 1
    assert samples[("mentorbot_coffee_rounds_total", ())] == rounds == 1
    assert samples[("mentorbot_unreachable_people", ())] == 0

    harness.deliver()
    _, _, text = _get(harness, "/metrics")
    after = {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }
    assert after[("mentorbot_notices", (("status", "queued"),))] == 0
    assert after[("mentorbot_notices", (("status", "sent"),))] >= 1


# --- the request log ----------------------------------------------------------------------------------


def test_each_request_is_one_line_and_a_forged_admin_command_is_logged_with_it(harness, log_records):
    refused = harness.answer(ASKER, "coffee run")
    assert "Only Mentorbot admins" in text_of(refused.blocks, refused.text)
    harness.fake.wait_for(
        lambda: [r for r in log_records if r.name == "app.slack.app" and "refused" in r.getMessage()]
    )
    request_lines = [r for r in log_records if r.name == "app.slack.http"]
    assert len(request_lines) == 1
    line = request_lines[0].fields
    assert line["kind"] == "command" and line["what"] == "/mentor coffee" and line["user"] == ASKER
    assert line["status"] == 200 and line["ack_ms"] >= 0 and len(line["request_id"]) == 12
    warning = next(r for r in log_records if r.name == "app.slack.app" and "refused" in r.getMessage())
    assert warning.levelno == logging.WARNING and ASKER in warning.getMessage()
    assert warning.fields["request_id"] == line["request_id"]  # the listener's lines carry the request's id


def _admin(_harness):
    return Person(ADMIN, "Ada", "UTC")


def _answer(h, user_id, text):
    reply = h.answer(user_id, text)
    return reply.blocks, reply.text


def _get(h, path):
    parts = urlsplit(h.base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read().decode()
    finally:
        connection.close()


# --- a lost answer, with and without the history check ------------------------------------------------


@pytest.mark.parametrize("check", [False, True], ids=["default", "history_check"])
def test_an_intro_whose_answer_was_lost_arrives_at_least_once_or_with_the_check_once(harness, engine, check):
    """By default the bot holds no history scope: a resend posts again. SLACK_HISTORY_CHECK=true (with
    im:history/mpim:history added) finds the first send by its metadata instead."""
    for user_id in (MENTOR, ASKER):
        harness.answer(user_id, "coffee join")
    harness.deliver()
    harness.bot.services.roulette.run_now(_admin(harness))
    bot = create_bot(
        harness.bot.settings.model_copy(update={"slack_history_check": check}), clock=harness.clock
    )
    try:
        harness.fake.drop_next("chat.postMessage", after_processing=True)  # posted; the answer lost
        assert bot.dispatcher.deliver_due() == 0
        with engine.begin() as connection:  # instead of sleeping through the backoff
            connection.execute(
                update(Notice).where(Notice.status == "queued").values(due_at=harness.clock.now())
            )
        assert bot.dispatcher.deliver_due() == 1
    finally:
        bot.engine.dispose()
    intros = harness.fake.messages_in(harness.fake.dm_channel_for(MENTOR, ASKER))
    assert len(intros) == (1 if check else 2)
    assert bool(harness.fake.calls_to("conversations.history")) is check
