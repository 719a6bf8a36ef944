"""Hosted sessions through signed requests: `/mentor host` and its modal, `/mentor sessions`, Join until
full and the waitlist, Leave seats the first waiting, Cancel tells everyone; each refusal changes nothing."""

from __future__ import annotations

import threading
from datetime import timedelta
from zoneinfo import ZoneInfo

from e2e_support import ADMIN, ASKER, MENTOR, OTHER, button, text_of
from slack_requests import app_home_opened_event
from sqlalchemy import func, select

from app.db.models import HostedSession, SessionSeat

COMMAND_CHANNEL = "C1"
BERLIN = ZoneInfo("Europe/Berlin")
LATE = "ULATE0001"


def open_host(h, user_id):
    h.command(user_id, "host")
    trigger = h.sender.last_trigger_id
    opened = h.fake.wait_for(
        lambda: [c for c in h.fake.calls_to("views.open", ok=True) if c.args["trigger_id"] == trigger]
    )
    return next(m for m in h.fake.modals_for(user_id) if m["id"] == opened[0].response["view"]["id"])


def form(day, *, seats="2", link="https://meet.example.com/abc-defg", length="45", at="12:00"):
    def pick(value):
        return {"type": "static_select", "selected_option": {"value": value}}

    return {
        "session_format": {"session_format_input": pick("group")},
        "session_title": {
            "session_title_input": {"type": "plain_text_input", "value": "Office hours: careers"}
        },
        "session_topics": {"session_topics_input": {"type": "plain_text_input", "value": "#python career"}},
        "session_date": {"session_date_input": {"type": "datepicker", "selected_date": day}},
        "session_time": {"session_time_input": {"type": "timepicker", "selected_time": at}},
        "session_length": {"session_length_input": pick(length)},
        "session_seats": {"session_seats_input": pick(seats)},
        "session_where": {
            "session_where_input": {"type": "radio_buttons", "selected_option": {"value": "online"}}
        },
        "session_link": {"session_link_input": {"type": "plain_text_input", "value": link}},
        "session_place": {"session_place_input": {"type": "plain_text_input", "value": None}},
        "session_description": {
            "session_description_input": {"type": "plain_text_input", "value": "Bring one"}
        },
    }


def sessions_in(engine):
    with engine.connect() as c:
        return c.scalar(select(func.count()).select_from(HostedSession))


def seats_by_status(engine):
    with engine.connect() as c:
        rows = c.execute(select(SessionSeat.user_id, SessionSeat.status).order_by(SessionSeat.user_id)).all()
    return {user_id: status for user_id, status in rows}


def dm_texts(h, user_id):
    """The text of each message in the bot's DM with ``user_id`` (a shared file's message has none)."""
    return [text_of(m.get("blocks"), m.get("text", "")) for m in h.fake.dms_to(user_id) if not m.get("files")]


def said(reply):
    return text_of(reply.blocks, reply.text)


def host_a_session(h, engine):
    """Mia (Berlin) hosts a 2-seat online session three days ahead at noon her time."""
    h.fake.add_channel(COMMAND_CHANNEL, members=[MENTOR, ASKER, OTHER, ADMIN], name="general")
    h.answer(MENTOR, "join #python")
    modal = open_host(h, MENTOR)
    day = (h.clock.now().astimezone(BERLIN) + timedelta(days=3)).date().isoformat()
    assert h.sender.submit(MENTOR, view=modal, values=form(day)).status == 200
    h.wait_idle()
    confirmation = h.fake.wait_for(lambda: h.fake.ephemerals_for(MENTOR))[-1]
    assert "Your session is on" in text_of(confirmation.get("blocks"), confirmation.get("text", ""))
    with engine.connect() as c:
        row = c.execute(select(HostedSession)).one()
    assert row.start_at.astimezone(BERLIN).hour == 12 and (row.seats, row.minutes) == (2, 45)
    return row.id


def test_only_people_on_the_register_host_and_the_form_refuses_broken_rules(harness, engine):
    h = harness
    h.fake.add_channel(COMMAND_CHANNEL, members=[MENTOR, ASKER], name="general")
    refused = h.answer(ASKER, "host")
    assert "Only people on the mentor register host sessions" in said(refused)
    assert not h.fake.modals_for(ASKER)

    h.answer(MENTOR, "join #python")
    modal = open_host(h, MENTOR)
    assert modal["callback_id"] == "host_session"
    seats = next(b for b in modal["blocks"] if b["block_id"] == "session_seats")
    assert "Slack group DM, which holds 8 people" in seats["hint"]["text"]
    assert [o["value"] for o in seats["element"]["options"]] == [str(k) for k in range(2, 8)]
    start = next(b for b in modal["blocks"] if b["block_id"] == "session_time")
    assert "Europe/Berlin" in start["label"]["text"]

    local = h.clock.now().astimezone(BERLIN)
    soon = (local + timedelta(days=3)).date().isoformat()
    cases = [
        (form(soon, seats="8"), "session_seats", "2 to 7 seats"),
        (form(soon, length="90"), "session_length", "30 minutes to 1 hour"),
        (form((local - timedelta(days=1)).date().isoformat()), "session_date", "passed"),
        (form((local + timedelta(days=92)).date().isoformat()), "session_date", "90 days"),
        (form(soon, link="http://meet.example.com/x"), "session_link", "https://"),
    ]
    for values, block, words in cases:
        reply = h.sender.submit(MENTOR, view=modal, values=values)
        body = reply.json()
        assert body["response_action"] == "errors" and words in body["errors"][block], (block, body)
    assert sessions_in(engine) == 0


def test_host_list_join_waitlist_leave_and_cancel(harness, engine):
    h = harness
    session_id = host_a_session(h, engine)
    h.fake.add_user(LATE, "lee", real_name="Lee Late", tz="Australia/Sydney")

    listed = h.answer(ASKER, "sessions #python online")
    text = said(listed)
    assert "Office hours: careers" in text and "2 of 2 seats left" in text
    assert "12:00" not in text and "06:00 EST" in text  # noon in Berlin (CET), on the asker's New York clock
    join = button(listed.blocks, "join_session")
    assert h.answer(ASKER, "sessions #sre").blocks and "No upcoming sessions match" in said(
        h.answer(ASKER, "sessions #sre")
    )
    assert "no office called Paris" in said(h.answer(ASKER, "sessions Paris"))

    seated = h.click(ASKER, "join_session", join["value"])
    assert "You have a seat" in said(seated) and seated.response_type == "ephemeral"
    twice = h.click(ASKER, "join_session", join["value"])
    assert "You already have a seat" in said(twice)
    own = h.click(MENTOR, "join_session", join["value"])
    assert "You're hosting this session" in said(own)
    assert seats_by_status(engine) == {ASKER: "taken"}

    assert "You have a seat" in said(h.click(OTHER, "join_session", join["value"]))
    full = h.click(ADMIN, "join_session", join["value"])
    assert "is full, so you're on the waitlist (number 1)" in said(full)
    assert "full, 1 on the waitlist" in said(h.answer(LATE, "sessions"))
    assert "on the waitlist (number 2)" in said(h.click(LATE, "join_session", join["value"]))

    left = h.click(ASKER, "leave_session", join["value"])
    assert "You left" in said(left)
    h.wait_idle()
    offered = h.fake.wait_for(lambda: dm_texts(h, ADMIN))
    assert any("A seat came free in “Office hours: careers”" in t for t in offered)
    assert seats_by_status(engine) == {ASKER: "left", OTHER: "taken", ADMIN: "offered", LATE: "waitlisted"}

    not_host = h.click(OTHER, "cancel_session", join["value"])
    assert "Only the host can cancel" in said(not_host)
    cancelled = h.click(MENTOR, "cancel_session", join["value"])
    assert "You cancelled" in said(cancelled)
    h.wait_idle()
    for user_id in (OTHER, ADMIN, LATE):
        told = h.fake.wait_for(lambda u=user_id: [t for t in dm_texts(h, u) if "cancelled" in t])
        assert f"<@{MENTOR}> cancelled “Office hours: careers”" in told[-1]
    assert not [t for t in dm_texts(h, ASKER) if "cancelled" in t]  # they had left: nothing to tell
    late_tz = [t for t in dm_texts(h, LATE) if "cancelled" in t][-1]
    assert "AEDT" in late_tz  # each in their own zone

    after = h.click(ASKER, "join_session", join["value"])
    assert "The host cancelled" in said(after)
    assert seats_by_status(engine)[ASKER] == "left"
    assert "No upcoming sessions match" in said(h.answer(ASKER, "sessions"))
    with engine.connect() as c:
        assert c.scalar(select(HostedSession.status).where(HostedSession.id == session_id)) == "cancelled"


def test_no_join_once_it_started_and_the_help_says_how(harness, engine):
    h = harness
    host_a_session(h, engine)
    join = button(h.answer(ASKER, "sessions").blocks, "join_session")
    h.clock.advance(timedelta(days=4))
    started = h.click(ASKER, "join_session", join["value"])
    assert "already started" in said(started)
    assert seats_by_status(engine) == {}
    help_text = text_of(h.command(ASKER, "help").json()["blocks"])
    assert "/mentor host" in help_text and "/mentor sessions" in help_text
    forged = h.click(ASKER, "join_session", "1")
    assert "doesn't carry what I expected" in said(forged)


def test_a_mentor_hosts_from_the_home(harness):
    h = harness
    h.answer(MENTOR, "join #python")
    h.sender.event(app_home_opened_event(MENTOR))
    home = h.fake.wait_for(lambda: h.fake.home_view(MENTOR))
    host = button(home["blocks"], "home_host")
    h.sender.action(MENTOR, "home_host", host["value"], view={"id": "VHOME", "type": "home"})
    modal = h.fake.wait_for(lambda: h.fake.modals_for(MENTOR))[-1]
    assert modal["callback_id"] == "host_session" and modal["private_metadata"] == "{}"


def test_an_hour_before_the_group_meets_in_a_group_dm(harness, engine):
    h = harness
    host_a_session(h, engine)
    join = button(h.answer(ASKER, "sessions").blocks, "join_session")
    for user_id in (ASKER, OTHER):
        assert "You have a seat" in said(h.click(user_id, "join_session", join["value"]))
    with engine.connect() as c:
        start = c.scalar(select(HostedSession.start_at))
    h.clock.set(start - timedelta(minutes=45))
    assert h.bot.services.hosting.gather_due() == 1
    h.wait_idle()
    group = h.fake.messages_in(h.fake.dm_channel_for(MENTOR, ASKER, OTHER))
    assert len(group) == 1
    text = text_of(group[0].get("blocks"), group[0].get("text", ""))
    assert "Here's your group" in text and "https://meet.example.com/abc-defg" in text
    assert f"<@{ASKER}>: " in text and "06:00 EST" in text and "12:00 CET" in text
    closed = h.click(ADMIN, "join_session", join["value"])
    assert "closed when its group DM opened" in said(closed)
    assert h.bot.services.hosting.gather_due() == 0


def _home(h, user_id):
    before = len(h.fake.calls_to("views.publish"))
    h.sender.event(app_home_opened_event(user_id))
    h.fake.wait_for(lambda: len(h.fake.calls_to("views.publish")) > before)
    return h.fake.home_view(user_id)


def test_the_home_shows_your_sessions_and_leaving_there_updates_it(harness, engine):
    h = harness
    host_a_session(h, engine)
    join = button(h.answer(ASKER, "sessions").blocks, "join_session")
    h.click(ASKER, "join_session", join["value"])
    mine = _home(h, ASKER)
    assert "*Your sessions*" in text_of(mine["blocks"]) and "Office hours: careers" in text_of(mine["blocks"])
    leave = button(mine["blocks"], "leave_session")
    hosting_home = _home(h, MENTOR)
    assert button(hosting_home["blocks"], "cancel_session")["value"] == leave["value"]
    before = len(h.fake.calls_to("views.publish"))
    h.sender.action(ASKER, "leave_session", leave["value"], view={"id": "VHOME", "type": "home"})
    h.fake.wait_for(lambda: len(h.fake.calls_to("views.publish")) > before)
    h.wait_idle()
    assert any("You left" in t for t in dm_texts(h, ASKER))
    assert "Your sessions" not in text_of(h.fake.home_view(ASKER)["blocks"])
    assert seats_by_status(engine) == {ASKER: "left"}


def test_a_join_is_acked_before_its_seat_is_taken(harness, engine):
    """The ack doesn't wait for the seat: with the after-ack pool busy, the click is answered 200 at once,
    nothing is taken yet; once the pool is free the seat is taken and the answer comes by response_url."""
    h = harness
    session_id = host_a_session(h, engine)
    listed = h.answer(ASKER, "sessions #python")
    join = button(listed.blocks, "join_session")
    release = threading.Event()
    blockers = [
        h.bot.after_ack.run(lambda: release.wait(10) and None, respond=None)
        for _ in range(h.bot.settings.after_ack_threads)
    ]
    try:
        reply = h.sender.action(ASKER, "join_session", join["value"])
        key = h.sender.last_response_key
        assert reply.status == 200 and not reply.body
        assert seats_by_status(engine) == {} and not h.fake.responses_for(key)
    finally:
        release.set()
    for blocker in blockers:
        blocker.result(timeout=10)
    answer = h.fake.wait_for(lambda: h.fake.responses_for(key))[-1]
    assert "You have a seat" in said(answer)
    h.wait_idle()
    assert seats_by_status(engine) == {ASKER: "taken"} and session_id
