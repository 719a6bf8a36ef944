"""`/mentor about`: a person's working hours, team and level; the offers then fall inside those hours."""

from __future__ import annotations

import json
from datetime import time
from zoneinfo import ZoneInfo

from e2e_support import ASKER, MENTOR, slot_buttons, slot_of, text_of
from sqlalchemy import select

from app.db.models import Member, MemberOffice

COMMAND_CHANNEL = "C1"
NEW_YORK = ZoneInfo("America/New_York")


def open_about(h, user_id):
    h.command(user_id, "about")
    trigger = h.sender.last_trigger_id
    opened = h.fake.wait_for(
        lambda: [c for c in h.fake.calls_to("views.open", ok=True) if c.args["trigger_id"] == trigger]
    )
    return next(m for m in h.fake.modals_for(user_id) if m["id"] == opened[0].response["view"]["id"])


def values(hours, team="", level=None):
    return {
        "hours": {"hours_input": {"type": "plain_text_input", "value": hours}},
        "team": {"team_input": {"type": "plain_text_input", "value": team}},
        "level": {"level_input": {"type": "static_select", "selected_option": level and {"value": level}}},
    }


def test_an_asker_sets_their_hours_and_the_offers_follow_them(harness, engine):
    harness.fake.add_channel(COMMAND_CHANNEL, members=[MENTOR, ASKER], name="general")
    harness.answer(
        MENTOR, "join #python"
    )  # Berlin, 09-17: New York 03:00-11:00 in winter, 04:00-12:00 in summer
    modal = open_about(harness, ASKER)
    assert modal["callback_id"] == "about_you"
    hours = next(b for b in modal["blocks"] if b["block_id"] == "hours")
    assert hours["element"]["initial_value"] == "Mon-Fri 09:00-17:00"  # the default, in their zone
    assert "America/New_York" in hours["label"]["text"]
    assert json.loads(modal["private_metadata"]) == {"c": COMMAND_CHANNEL}  # never a response_url

    bad = harness.sender.submit(ASKER, view=modal, values=values("Mon-Fri 25:00-26:00"))
    assert bad.json()["response_action"] == "errors" and "hours" in bad.json()["errors"]
    with engine.connect() as connection:
        assert connection.execute(select(Member.work_windows).where(Member.user_id == ASKER)).scalar() is None

    ok = harness.sender.submit(
        ASKER, view=modal, values=values("Mon-Fri 06:00-08:00", team="Payments", level="3")
    )
    assert ok.status == 200 and not ok.body
    harness.wait_idle()
    confirmation = harness.fake.wait_for(lambda: harness.fake.ephemerals_for(ASKER))[-1]
    assert "Mon-Fri 06:00-08:00" in text_of(confirmation.get("blocks"), confirmation.get("text", ""))
    with engine.connect() as connection:
        member = connection.execute(select(Member).where(Member.user_id == ASKER)).one()
    assert (member.team, member.level) == ("Payments", 3)

    offers = harness.answer(ASKER, "ask Review my first PR #python")
    slots = slot_buttons(offers.blocks)
    assert slots and {slot_of(b)[1] for b in slots} == {MENTOR}
    for b in slots:
        local = slot_of(b)[2].astimezone(NEW_YORK).time()
        assert time(6) <= local < time(8), b["text"]["text"]

    again = open_about(harness, ASKER)  # the modal shows what was saved
    assert next(b for b in again["blocks"] if b["block_id"] == "hours")["element"]["initial_value"] == (
        "Mon-Fri 06:00-08:00"
    )


def test_about_you_from_the_home_and_the_help(harness):
    assert "/mentor about" in text_of(harness.command(ASKER, "help").json()["blocks"])
    harness.sender.action(ASKER, "home_about", "about", view={"id": "VHOME", "type": "home"})
    modal = harness.fake.wait_for(lambda: harness.fake.modals_for(ASKER))[-1]
    assert modal["callback_id"] == "about_you" and modal["private_metadata"] == "{}"


def test_admins_keep_the_offices_and_people_pick_theirs(harness, engine):
    from e2e_support import ADMIN

    harness.fake.add_channel(COMMAND_CHANNEL, members=[ASKER, ADMIN], name="general")
    refused = harness.answer(ASKER, "offices add Berlin Europe/Berlin")
    assert "Only Mentorbot admins can do that" in text_of(refused.blocks, refused.text)
    assert "No offices yet" in text_of(*_said(harness.answer(ASKER, "offices")))
    bad_zone = harness.answer(ADMIN, "offices add Berlin Mars/Olympus")
    assert "time zone" in text_of(bad_zone.blocks, bad_zone.text)
    added = harness.answer(ADMIN, "offices add New York America/New_York")
    assert "*New York* (America/New_York), 0 people" in text_of(added.blocks, added.text)
    harness.answer(ADMIN, "offices add Berlin Europe/Berlin")
    twice = harness.answer(ADMIN, "offices add Berlin Europe/Berlin")
    assert "already an office called Berlin" in text_of(twice.blocks, twice.text)

    modal = open_about(harness, ASKER)
    office = next(b for b in modal["blocks"] if b["block_id"] == "office")
    assert [o["value"] for o in office["element"]["options"]] == ["none", "Berlin", "New York"]
    form = values("Mon-Fri 09:00-17:00")
    form["office"] = {"office_input": {"type": "static_select", "selected_option": {"value": "New York"}}}
    form["office_days"] = {
        "office_days_input": {"type": "checkboxes", "selected_options": [{"value": "1"}, {"value": "3"}]}
    }
    stale = dict(
        form, office={"office_input": {"type": "static_select", "selected_option": {"value": "Paris"}}}
    )
    refused = harness.sender.submit(ASKER, view=modal, values=stale)
    assert refused.json()["response_action"] == "errors" and "office" in refused.json()["errors"]
    assert harness.sender.submit(ASKER, view=modal, values=form).status == 200
    harness.wait_idle()
    said = harness.fake.wait_for(lambda: harness.fake.ephemerals_for(ASKER))[-1]
    assert "Your office: *New York*, usually in on Tue, Thu." in text_of(
        said.get("blocks"), said.get("text", "")
    )
    listed = harness.answer(ASKER, "offices")
    assert "*New York* (America/New_York), 1 person" in text_of(listed.blocks, listed.text)

    removed = harness.answer(ADMIN, "offices remove New York")
    assert "Removed the office New York." in text_of(removed.blocks, removed.text)
    with engine.connect() as connection:
        row = connection.execute(select(MemberOffice).where(MemberOffice.user_id == ASKER)).first()
        member = connection.execute(select(Member).where(Member.user_id == ASKER)).one()
    assert row is None and member.user_id == ASKER  # no office any more; the member stays
    assert "offices remove" in text_of(harness.command(ASKER, "help").json()["blocks"])
    typo = harness.command(ADMIN, "offices rename Berlin")
    assert "admins add or remove them" in typo.json()["text"]


def _said(answer):
    return answer.blocks, answer.text
