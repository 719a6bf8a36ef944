"""A mentor's own meeting link, through signed requests: the profile modal refuses anything but https
beside the field (nothing saved), keeps a good one, and it is where their online 1:1s meet (the
confirmation and its .ics) and their online sessions without a typed link; without one, the group DM."""

from __future__ import annotations

from datetime import timedelta

import icalendar
from e2e_support import ASKER, MENTOR, OTHER, confirmed_meeting, text_of
from sqlalchemy import select
from test_calendar_files import shared_files
from test_hosted_sessions import BERLIN, COMMAND_CHANNEL, form, open_host
from test_register import open_profile, profile_values

from app.db.models import HostedSession, MentorProfile

LINK = "https://meet.example.com/mia-room"


def with_link(link):
    return {**profile_values(), "meeting_link": {"meeting_link_input": link}}


def saved_link(engine, user_id=MENTOR):
    with engine.connect() as c:
        return c.scalar(select(MentorProfile.meeting_link).where(MentorProfile.user_id == user_id))


def set_link(h, link):
    modal, _ = open_profile(h, MENTOR)
    return h.sender.submit(MENTOR, values=with_link(link), view=modal)


def test_only_an_https_link_is_kept_and_the_field_says_why(harness, engine):
    h = harness
    h.fake.add_channel(COMMAND_CHANNEL, members=[MENTOR, ASKER, OTHER], name="general")
    h.answer(MENTOR, "join #python")
    for bad in ("http://meet.example.com/x", "meet.example.com/x", "https://", "javascript:alert(1)"):
        body = set_link(h, bad).json()
        assert body["response_action"] == "errors" and "https://" in body["errors"]["meeting_link"], bad
        assert saved_link(engine) is None
    ok = set_link(h, LINK)
    assert ok.status == 200 and not ok.body
    h.wait_idle()
    assert saved_link(engine) == LINK
    modal, _ = open_profile(h, MENTOR)  # shown again when editing
    field = next(b for b in modal["blocks"] if b["block_id"] == "meeting_link")
    assert field["element"]["initial_value"] == LINK and field["optional"] is True


def test_an_online_1_1_meets_at_the_mentor_s_link(harness, engine):
    h = harness
    h.fake.add_channel(COMMAND_CHANNEL, members=[MENTOR, ASKER, OTHER], name="general")
    h.answer(MENTOR, "join #python")
    set_link(h, LINK)
    h.wait_idle()
    _, confirmation = confirmed_meeting(h)
    said = text_of(confirmation.get("blocks"), confirmation.get("text", ""))
    assert f"<{LINK}|the mentor's meeting link>" in said
    (invite,) = shared_files(h, h.fake.dm_channel_for(ASKER, MENTOR))
    (event,) = icalendar.Calendar.from_ical(invite["content"]).walk("VEVENT")
    assert str(event["LOCATION"]) == LINK and LINK in str(event["DESCRIPTION"])


def test_without_a_link_the_1_1_meets_in_the_group_dm(harness):
    h = harness
    _, confirmation = confirmed_meeting(h)
    said = text_of(confirmation.get("blocks"), confirmation.get("text", ""))
    assert "we'll meet in the group DM" in said and "https://" not in said


def test_an_online_session_without_a_typed_link_uses_the_host_s(harness, engine):
    h = harness
    h.fake.add_channel(COMMAND_CHANNEL, members=[MENTOR, ASKER, OTHER], name="general")
    h.answer(MENTOR, "join #python")
    set_link(h, LINK)
    h.wait_idle()
    day = (h.clock.now().astimezone(BERLIN) + timedelta(days=3)).date().isoformat()
    modal = open_host(h, MENTOR)
    assert h.sender.submit(MENTOR, view=modal, values=form(day, link=None)).status == 200
    typed = "https://meet.example.com/this-one"
    modal = open_host(h, MENTOR)
    assert h.sender.submit(MENTOR, view=modal, values=form(day, link=typed, at="15:00")).status == 200
    h.wait_idle()
    with engine.connect() as c:
        links = c.execute(select(HostedSession.link).order_by(HostedSession.start_at)).scalars().all()
    assert links == [LINK, typed]  # a typed link wins over the profile's
