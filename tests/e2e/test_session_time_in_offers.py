"""A hosted session's time is nobody's 1:1 slot, through signed requests: a mentor hosting 45 minutes
from their first free slot is not offered inside it (a slot picked before it was hosted is refused at
request time), and an asker with a seat in a session is not offered a slot overlapping it."""

from __future__ import annotations

from datetime import timedelta

from e2e_support import ASKER, MENTOR, OTHER, button, slot_buttons, slot_of, text_of
from test_hosted_sessions import BERLIN, COMMAND_CHANNEL, form, open_host

from app.slack.blocks.format import local_time

LENGTH = timedelta(minutes=45)


def offered_starts(reply, mentor_id=MENTOR):
    return [slot_of(b)[2] for b in slot_buttons(reply.blocks) if slot_of(b)[1] == mentor_id]


def host_at(h, host_id, start):
    local = start.astimezone(BERLIN)  # the form asks in the host's zone: both hosts here are in Berlin
    modal = open_host(h, host_id)
    reply = h.sender.submit(host_id, view=modal, values=form(local.date().isoformat(), at=f"{local:%H:%M}"))
    assert reply.status == 200 and not reply.body, reply.body
    h.wait_idle()


def clear_of(starts, session_start):
    return all(s + timedelta(minutes=15) <= session_start or s >= session_start + LENGTH for s in starts)


def test_the_host_is_not_offered_inside_their_session(harness):
    h = harness
    h.fake.add_channel(COMMAND_CHANNEL, members=[MENTOR, ASKER], name="general")
    h.answer(MENTOR, "join #python")
    before = h.answer(ASKER, "ask Review my first PR #python")
    first = slot_buttons(before.blocks)[0]
    start = slot_of(first)[2]
    host_at(h, MENTOR, start)

    after = h.answer(ASKER, "ask Review my second PR #python")
    starts = offered_starts(after)
    assert starts and start not in starts and clear_of(starts, start)
    assert start + timedelta(minutes=15) not in starts  # 14:15 inside a 14:00-14:45 session

    # The register's "next free" skips it too.
    mentors = h.answer(ASKER, "mentors #python")
    listed = text_of(mentors.blocks, mentors.text)
    assert "Next free:" in listed and f"Next free: {local_time(start, 'America/New_York')}" not in listed

    # The slot offered before the session was hosted is refused when picked, with fresh options.
    picked = h.click(ASKER, first["action_id"], first["value"])
    h.wait_idle()
    assert "that slot was just taken" in text_of(picked.blocks, picked.text)
    fresh = offered_starts(picked)
    assert fresh and clear_of(fresh, start)
    assert not h.fake.messages_in(h.fake.dm_channel_for(MENTOR))  # no request reached the mentor


def test_an_asker_with_a_seat_is_not_offered_a_slot_overlapping_the_session(harness):
    h = harness
    h.fake.add_user(OTHER + "B", "ben", real_name="Ben Berlin", tz="Europe/Berlin")
    host = OTHER + "B"
    h.fake.add_channel(COMMAND_CHANNEL, members=[MENTOR, ASKER, host], name="general")
    h.answer(MENTOR, "join #python")
    h.answer(host, "join #sre")
    start = offered_starts(h.answer(ASKER, "ask Review my first PR #python"))[0]
    host_at(h, host, start)
    join = button(h.answer(ASKER, "sessions").blocks, "join_session")
    seated = h.click(ASKER, "join_session", join["value"])
    assert "You have a seat" in text_of(seated.blocks, seated.text)
    h.wait_idle()

    starts = offered_starts(h.answer(ASKER, "ask Review my second PR #python"))
    assert starts and start not in starts and clear_of(starts, start)
