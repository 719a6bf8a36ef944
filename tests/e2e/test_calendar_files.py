"""The .ics beside a confirmation and a cancellation, through signed requests: uploaded with Slack's
current flow (files.getUploadURLExternal, the upload, files.completeUploadExternal) into the conversation
the notice went to, and read back with icalendar and vobject. A failed upload loses no confirmation."""

from __future__ import annotations

import logging
from datetime import timedelta

import icalendar
import vobject
from e2e_support import ASKER, MENTOR, button, confirmed_meeting, slot_buttons, text_of
from sqlalchemy import select

from app.db.models import Meeting, Notice

GOAL = "Negotiate my salary at Initech"


def shared_files(h, channel):
    """The files the bot shared in a conversation, oldest first, each with the bytes the fake received."""
    shared = [f for m in h.fake.messages_in(channel) for f in m.get("files") or []]
    return [{**f, "content": h.fake.files[f["id"]]["content"]} for f in shared]


def meeting_id(engine) -> int:
    with engine.connect() as connection:
        (only,) = connection.execute(select(Meeting.id)).scalars().all()
    return only


def cancel_from_the_list(h, user_id):
    listing = h.answer(user_id, "list")
    cancelled = h.click(user_id, "cancel_meeting", button(listing.blocks, "cancel_meeting")["value"])
    assert "Cancelled" in text_of(cancelled.blocks, cancelled.text)
    h.wait_idle()


def test_the_confirmation_and_its_cancellation_carry_calendar_files(harness, engine):
    start, confirmation = confirmed_meeting(harness, goal=GOAL)
    uid = f"meeting-{meeting_id(engine)}@mentorbot"
    group = harness.fake.dm_channel_for(ASKER, MENTOR)
    messages = harness.fake.messages_in(group)
    assert messages[0]["ts"] == confirmation["ts"] and "files" in messages[1] and len(messages) == 2
    (invite,) = shared_files(harness, group)
    assert invite["name"] == f"mentorbot-meeting-{meeting_id(engine)}.ics" and GOAL not in invite["title"]
    assert [c.method for c in harness.fake.calls if c.method.startswith("files.")] == [
        "files.getUploadURLExternal",
        "files.completeUploadExternal",
    ]

    calendar = icalendar.Calendar.from_ical(invite["content"])
    (event,) = calendar.walk("VEVENT")
    assert str(calendar["METHOD"]) == "REQUEST" and str(event["UID"]) == uid and int(event["SEQUENCE"]) == 0
    assert event.decoded("DTSTART") == start and event.decoded("DTEND") == start + timedelta(minutes=15)
    assert GOAL in str(event["DESCRIPTION"]) and GOAL not in str(event["SUMMARY"])
    second = vobject.readOne(invite["content"].decode())
    assert second.method.value == "REQUEST" and second.vevent.uid.value == uid
    assert second.vevent.dtstart.value == start and GOAL in second.vevent.description.value

    cancel_from_the_list(harness, MENTOR)
    asker_dm = harness.fake.dm_channel_for(ASKER)
    told, shared = harness.fake.messages_in(asker_dm)[-2:]
    assert f"<@{MENTOR}> cancelled your conversation" in told["text"] and shared.get("files")
    (cancel,) = shared_files(harness, asker_dm)
    assert cancel["name"] == f"mentorbot-meeting-{meeting_id(engine)}-cancelled.ics"

    calendar = icalendar.Calendar.from_ical(cancel["content"])
    (event,) = calendar.walk("VEVENT")
    assert str(calendar["METHOD"]) == "CANCEL" and str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == uid and int(event["SEQUENCE"]) > 0
    assert event.decoded("DTSTART") == start and GOAL not in str(event["SUMMARY"])
    second = vobject.readOne(cancel["content"].decode())
    assert second.method.value == "CANCEL" and second.vevent.uid.value == uid
    assert int(second.vevent.sequence.value) > 0 and second.vevent.status.value == "CANCELLED"
    assert len(shared_files(harness, group)) == 1  # nothing more in the group DM


def test_a_withdrawn_request_was_on_no_calendar_and_sends_no_file(harness):
    harness.answer(MENTOR, "join #python")
    offers = harness.answer(ASKER, "ask Learn pytest fixtures #python")
    chosen = slot_buttons(offers.blocks)[0]
    sent = harness.click(ASKER, chosen["action_id"], chosen["value"])
    harness.wait_idle()
    harness.click(ASKER, "cancel_meeting", button(sent.blocks, "cancel_meeting")["value"])
    harness.wait_idle()
    mentor_dm = harness.fake.messages_in(harness.fake.dm_channel_for(MENTOR))
    assert any(f"<@{ASKER}> cancelled" in m["text"] for m in mentor_dm)  # the other side was told
    assert harness.fake.calls_to("files.getUploadURLExternal") == []


def test_a_failed_upload_keeps_the_confirmation_and_logs_no_words(harness, engine, caplog):
    harness.fake.fail_next("files.getUploadURLExternal", "internal_error", status=500, times=100)
    with caplog.at_level(logging.INFO):
        _, confirmation = confirmed_meeting(harness, goal=GOAL)
    assert "You're booked" in confirmation["text"]
    assert shared_files(harness, harness.fake.dm_channel_for(ASKER, MENTOR)) == []
    with engine.connect() as connection:
        status = connection.scalar(select(Notice.status).where(Notice.kind == "confirmation"))
    assert status == "sent"  # not retried, so not posted twice
    assert len(harness.fake.calls_to("chat.postMessage", ok=True)) == 2  # the request, the confirmation
    warnings = [r.getMessage() for r in caplog.records if "was not uploaded" in r.getMessage()]
    assert len(warnings) == 1 and "internal_error" in warnings[0]
    assert all(GOAL not in r.getMessage() for r in caplog.records)


def test_an_upload_refused_at_the_upload_url_also_keeps_the_confirmation(harness, engine):
    harness.fake.fail_next("upload", "internal_error", status=500, times=100)
    _, confirmation = confirmed_meeting(harness, goal=GOAL)
    assert "You're booked" in confirmation["text"]
    assert shared_files(harness, harness.fake.dm_channel_for(ASKER, MENTOR)) == []
    assert harness.fake.calls_to("files.completeUploadExternal") == []
    with engine.connect() as connection:
        assert connection.scalar(select(Notice.status).where(Notice.kind == "confirmation")) == "sent"
