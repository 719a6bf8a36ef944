"""`/mentor ask lunch <goal> #topic` through signed requests: only mentors of the asker's office, on
their office days, at lunch-time slots (an hour from 11:30-13:00 in the office's zone); a mentor with no
office never gets one; the request, the confirmation and its .ics say lunch, in person, an hour; the
lunch's hour is then out of both people's 1:1 offers. An asker with no office, or an office nobody can
lunch at, is told so clearly."""

from __future__ import annotations

from datetime import time, timedelta
from zoneinfo import ZoneInfo

import icalendar
from e2e_support import ADMIN, ASKER, MENTOR, OTHER, button, slot_buttons, slot_of, text_of
from sqlalchemy import select
from test_about_you import open_about, values
from test_calendar_files import shared_files
from test_hosted_sessions import COMMAND_CHANNEL

from app.db.models import Ask, Meeting

BERLIN = ZoneInfo("Europe/Berlin")
TUESDAY, THURSDAY = 1, 3


def set_office(h, user_id, office, days=()):
    modal = open_about(h, user_id)
    form = values("Mon-Fri 09:00-17:00")
    form["office"] = {"office_input": {"type": "static_select", "selected_option": {"value": office}}}
    form["office_days"] = {
        "office_days_input": {"type": "checkboxes", "selected_options": [{"value": str(d)} for d in days]}
    }
    assert h.sender.submit(user_id, view=modal, values=form).status == 200
    h.wait_idle()


def said(reply):
    return text_of(reply.blocks, reply.text)


def test_a_lunch_is_offered_by_mentors_of_your_office_on_their_days(harness, engine):
    h = harness
    h.fake.add_channel(COMMAND_CHANNEL, members=[MENTOR, ASKER, OTHER, ADMIN], name="general")
    h.answer(ADMIN, "offices add Berlin Europe/Berlin")
    h.answer(MENTOR, "join #python")
    h.answer(OTHER, "join #python")  # a mentor with no office: never offered a lunch

    no_office = h.answer(ASKER, "ask lunch Talk careers over lunch #python")
    assert "I don't know yours yet" in said(no_office) and "`/mentor about`" in said(no_office)
    with engine.connect() as c:
        assert c.scalar(select(Ask.id)) is None  # nothing saved

    set_office(h, MENTOR, "Berlin", (TUESDAY, THURSDAY))
    set_office(h, ASKER, "Berlin")
    offers = h.answer(ASKER, "ask lunch Talk careers over lunch #python")
    assert "Pick a lunch at Berlin: an hour, in person" in said(offers)
    slots = slot_buttons(offers.blocks)
    assert slots and {slot_of(b)[1] for b in slots} == {MENTOR}
    for b in slots:
        local = slot_of(b)[2].astimezone(BERLIN)
        assert local.weekday() in (TUESDAY, THURSDAY) and time(11, 30) <= local.time() <= time(13), local

    chosen = slots[0]
    start = slot_of(chosen)[2]
    h.click(ASKER, chosen["action_id"], chosen["value"])
    h.wait_idle()
    request = h.fake.messages_in(h.fake.dm_channel_for(MENTOR))[-1]
    assert "would like a mentoring lunch with you at Berlin (an hour, in person)" in text_of(
        request.get("blocks"), request.get("text", "")
    )
    h.click(MENTOR, "accept_request", button(request["blocks"], "accept_request")["value"], message=request)
    h.wait_idle()
    group = h.fake.dm_channel_for(ASKER, MENTOR)
    (confirmation,) = [m for m in h.fake.messages_in(group) if "You're booked" in (m.get("text") or "")]
    assert "lunch in person at Berlin, an hour" in text_of(confirmation.get("blocks"), confirmation["text"])
    (invite,) = shared_files(h, group)
    (event,) = icalendar.Calendar.from_ical(invite["content"]).walk("VEVENT")
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(hours=1)
    assert "Berlin" in str(event["LOCATION"])
    assert "Lunch at Berlin" in str(event["DESCRIPTION"]) and "15 minutes" not in str(event["DESCRIPTION"])
    with engine.connect() as c:
        assert c.scalar(select(Meeting.minutes)) == 60

    # The lunch's hour is out of both people's 1:1 offers from now on.
    again = h.answer(ASKER, "ask Review my first PR #python")
    for b in slot_buttons(again.blocks):
        at = slot_of(b)[2]
        assert at + timedelta(minutes=15) <= start or at >= start + timedelta(hours=1), at


def test_an_office_where_nobody_can_lunch_is_said_so(harness):
    h = harness
    h.fake.add_channel(COMMAND_CHANNEL, members=[MENTOR, ASKER, ADMIN], name="general")
    h.answer(ADMIN, "offices add London Europe/London")
    h.answer(MENTOR, "join #python")
    set_office(h, MENTOR, "London")  # at the office, but no office days: no lunches
    set_office(h, ASKER, "London")
    reply = h.answer(ASKER, "ask lunch Talk careers over lunch #python")
    text = said(reply)
    assert "Nobody on the mentor register at London has a lunch free" in text and "#python" in text
    assert "`/mentor ask <goal> #topic`" in text and not slot_buttons(reply.blocks)


def home_ask_form(h, user_id, kinds):
    """This click's own ask form (not an earlier one still last in the record), and the values to send."""
    before = [m["id"] for m in h.fake.modals_for(user_id)]
    h.sender.action(user_id, "home_ask", "ask", view={"id": "VHOME", "type": "home"})
    (modal,) = h.fake.wait_for(
        lambda: [
            m for m in h.fake.modals_for(user_id) if m["callback_id"] == "ask_modal" and m["id"] not in before
        ]
    )
    values = {
        "goal": {"goal_input": {"type": "plain_text_input", "value": "Talk careers over lunch"}},
        "ask_topics": {"ask_topics_input": {"type": "plain_text_input", "value": "python"}},
        "ask_kind": {
            "ask_kind_input": {"type": "checkboxes", "selected_options": [{"value": k} for k in kinds]}
        },
    }
    return modal, values


def dms_saying(h, user_id, words):
    return [
        m
        for m in h.fake.messages_in(h.fake.dm_channel_for(user_id))
        if words in text_of(m.get("blocks"), m.get("text", ""))
    ]


def test_the_home_s_ask_form_has_the_in_person_choice(harness):
    h = harness
    h.fake.add_channel(COMMAND_CHANNEL, members=[MENTOR, ASKER, ADMIN], name="general")
    h.answer(ADMIN, "offices add Berlin Europe/Berlin")
    h.answer(MENTOR, "join #python")
    set_office(h, MENTOR, "Berlin", (TUESDAY, THURSDAY))

    modal, both = home_ask_form(h, ASKER, ["reverse", "lunch"])
    kind = next(b for b in modal["blocks"] if b.get("block_id") == "ask_kind")
    assert [o["value"] for o in kind["element"]["options"]] == ["reverse", "lunch"]
    refused = h.sender.submit(ASKER, view=modal, values=both).json()
    assert refused["response_action"] == "errors" and "Pick one" in refused["errors"]["ask_kind"]

    modal, lunch = home_ask_form(h, ASKER, ["lunch"])
    assert h.sender.submit(ASKER, view=modal, values=lunch).status == 200
    h.wait_idle()
    assert h.fake.wait_for(lambda: dms_saying(h, ASKER, "I don't know yours yet"))  # no office yet

    set_office(h, ASKER, "Berlin")
    modal, lunch = home_ask_form(h, ASKER, ["lunch"])
    assert h.sender.submit(ASKER, view=modal, values=lunch).status == 200
    h.wait_idle()
    (offers,) = h.fake.wait_for(lambda: dms_saying(h, ASKER, "Pick a lunch at Berlin"))
    slots = slot_buttons(offers["blocks"])
    assert slots and {slot_of(b)[1] for b in slots} == {MENTOR}
