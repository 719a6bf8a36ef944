"""Coworking check-ins, through signed requests and the scheduler's sweep with the test's clock: off by
default; the host ticks the box in the form (refused for other formats); while the session runs, its
group DM gets a prompt every 30 minutes, each once, none at the end."""

from __future__ import annotations

from datetime import timedelta

from e2e_support import ADMIN, ASKER, MENTOR, OTHER, button, text_of
from sqlalchemy import select
from test_hosted_sessions import BERLIN, COMMAND_CHANNEL, form, open_host, sessions_in

from app.db.models import HostedSession


def coworking(day, *, check_ins: bool, fmt: str = "coworking", length: str = "120"):
    values = form(day, length=length)
    values["session_format"]["session_format_input"]["selected_option"]["value"] = fmt
    values["session_check_ins"] = {
        "session_check_ins_input": {
            "type": "checkboxes",
            "selected_options": [{"value": "on"}] if check_ins else [],
        }
    }
    return values


def prompts(h):
    group = h.fake.dm_channel_for(MENTOR, ASKER)
    return [m for m in h.fake.messages_in(group) if "Check-in" in (m.get("text") or "")]


def sweep_at(h, instant):
    h.clock.set(instant)
    h.bot.services.hosting.check_in_due()
    h.wait_idle()


def test_coworking_check_ins_every_30_minutes_in_the_group_dm(harness, engine):
    h = harness
    h.fake.add_channel(COMMAND_CHANNEL, members=[MENTOR, ASKER, OTHER, ADMIN], name="general")
    h.answer(MENTOR, "join #python")
    modal = open_host(h, MENTOR)
    check_box = next(b for b in modal["blocks"] if b["block_id"] == "session_check_ins")
    assert check_box["optional"] and "initial_options" not in check_box["element"]  # off by default
    day = (h.clock.now().astimezone(BERLIN) + timedelta(days=3)).date().isoformat()
    refused = h.sender.submit(
        MENTOR, view=modal, values=coworking(day, check_ins=True, fmt="group", length="45")
    )
    assert "for coworking sessions" in refused.json()["errors"]["session_check_ins"]
    assert sessions_in(engine) == 0
    assert h.sender.submit(MENTOR, view=modal, values=coworking(day, check_ins=True)).status == 200
    h.wait_idle()
    with engine.connect() as c:
        start, check_ins = c.execute(select(HostedSession.start_at, HostedSession.check_ins)).one()
    assert check_ins

    join = button(h.answer(ASKER, "sessions").blocks, "join_session")
    assert "You have a seat" in text_of(h.click(ASKER, "join_session", join["value"]).blocks)
    sweep_at(h, start + timedelta(minutes=29))
    assert not prompts(h)
    sweep_at(h, start + timedelta(minutes=31))
    (first,) = prompts(h)
    assert "Check-in 1 for “Office hours: careers”" in first["text"]
    sweep_at(h, start + timedelta(minutes=50))
    assert len(prompts(h)) == 1  # once each
    for minutes in (61, 91):
        sweep_at(h, start + timedelta(minutes=minutes))
    assert [p["text"].split(" for ")[0] for p in prompts(h)] == ["Check-in 1", "Check-in 2", "Check-in 3"]
    sweep_at(h, start + timedelta(minutes=121))  # over: no prompt at the end
    assert len(prompts(h)) == 3


def test_without_the_box_there_are_no_check_ins(harness, engine):
    h = harness
    h.fake.add_channel(COMMAND_CHANNEL, members=[MENTOR, ASKER], name="general")
    h.answer(MENTOR, "join #python")
    modal = open_host(h, MENTOR)
    day = (h.clock.now().astimezone(BERLIN) + timedelta(days=3)).date().isoformat()
    assert h.sender.submit(MENTOR, view=modal, values=coworking(day, check_ins=False)).status == 200
    h.wait_idle()
    with engine.connect() as c:
        start = c.scalar(select(HostedSession.start_at))
    join = button(h.answer(ASKER, "sessions").blocks, "join_session")
    h.click(ASKER, "join_session", join["value"])
    sweep_at(h, start + timedelta(minutes=31))
    assert h.bot.services.hosting.check_in_due() == 0 and not prompts(h)
