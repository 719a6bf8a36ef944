"""A booked program session through signed requests (#14): either person moves it (fresh times inside
both working days, both told in their zones, a new .ics with SEQUENCE raised) or skips it (a cancelling
.ics); the next session is still proposed on the program's cadence, not from the moved date. Late,
repeated and forged answers are refused kindly, on the form or ephemerally."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import icalendar
from e2e_support import button, buttons
from sqlalchemy import select
from test_program_cadence import proposals
from test_program_endings import open_modal_via, published_program, said

from app.db.models import Program, ProgramSession

MENTEE = "UEA0001"
WEEKS_4 = timedelta(weeks=4)


def group_messages(h, mentor, mentee, words):
    return [
        m for m in h.fake.messages_in(h.fake.dm_channel_for(mentor, mentee)) if words in m.get("text", "")
    ]


def row(engine, session_id):
    with engine.connect() as c:
        return c.execute(select(ProgramSession).where(ProgramSession.id == session_id)).one()


def book_first_session(h, engine):
    """Publish, reach the program's start, propose, the mentee picks the first time, the mentor
    confirms: (pairs, mentor, the session's id, its start, when the program started)."""
    pairs = published_program(h, engine)
    _, mentor = pairs[MENTEE]
    programs = h.bot.services.programs
    h.clock.advance(timedelta(days=14, hours=1))
    with engine.connect() as c:
        day = c.execute(select(Program.start_date)).scalar_one()
    started = datetime.combine(day, time(), tzinfo=UTC)  # the cadence's anchor: the program's start
    assert programs.propose_due_sessions() == 2
    h.wait_idle()
    (proposal,) = proposals(h, mentor, MENTEE)
    pick = next(b for b in buttons(proposal["blocks"]) if b["action_id"] == "program_pick_0")
    assert "Picked" in said(h.click(MENTEE, pick["action_id"], pick["value"]))
    h.wait_idle()
    ask = [m for m in h.fake.dms_to(mentor) if "Confirm it" in m.get("text", "")][-1]
    confirm = button(ask["blocks"], "program_confirm")
    assert "Confirmed" in said(h.click(mentor, "program_confirm", confirm["value"]))
    h.wait_idle()
    session_id = int(confirm["value"][2:])
    start = row(engine, session_id).start.replace(tzinfo=UTC)
    return pairs, mentor, session_id, start, started


def calendar_files(h, mentor, mentee):
    group = h.fake.dm_channel_for(mentor, mentee)
    shared = [f for m in h.fake.messages_in(group) for f in m.get("files") or []]
    return [icalendar.Calendar.from_ical(h.fake.files[f["id"]]["content"]) for f in shared]


def move_values(value):
    return {
        "program_move_to": {"program_move_to": {"type": "radio_buttons", "selected_option": {"value": value}}}
    }


def test_either_moves_a_session_and_the_calendar_follows(harness, engine):
    h = harness
    _, mentor, session_id, start, _ = book_first_session(h, engine)
    (booked,) = group_messages(h, mentor, MENTEE, "is booked")
    move = button(booked["blocks"], "program_move")
    assert button(booked["blocks"], "program_skip")["confirm"]  # Slack asks before a skip

    assert "Only the two people" in said(h.click("UEB0001", "program_move", move["value"]))
    modal = open_modal_via(h, MENTEE, lambda: h.sender.action(MENTEE, "program_move", move["value"]))
    assert modal["callback_id"] == "program_move"
    (radio,) = [b for b in modal["blocks"] if b.get("block_id") == "program_move_to"]
    options = radio["element"]["options"]
    assert 1 <= len(options) <= 3
    offered = [datetime.fromtimestamp(int(o["value"]), tz=UTC) for o in options]
    now = h.clock.now()
    assert all(s != start and s >= now + timedelta(days=1) for s in offered)

    # Bad answers on the form: a forged time outside both working days, a time already past.
    saturday_night = now + timedelta(days=(5 - now.weekday()) % 7 or 7)
    saturday_night = saturday_night.replace(hour=3, minute=0, second=0, microsecond=0)
    bad = h.sender.submit(MENTEE, view=modal, values=move_values(str(int(saturday_night.timestamp())))).json()
    assert "inside both your working days" in bad["errors"]["program_move_to"]
    past = h.sender.submit(MENTEE, view=modal, values=move_values(str(int(now.timestamp()) - 3600))).json()
    assert "passed" in past["errors"]["program_move_to"]
    garbled = h.sender.submit(MENTEE, view=modal, values=move_values("soon")).json()
    assert "Pick one" in garbled["errors"]["program_move_to"]

    new = offered[-1]
    assert h.sender.submit(MENTEE, view=modal, values=move_values(options[-1]["value"])).status == 200
    h.wait_idle()
    (moved,) = group_messages(h, mentor, MENTEE, "was moved")
    assert f"moved by <@{MENTEE}>" in moved["text"] and "for <@UEA0001>" in moved["text"]
    assert f"for <@{mentor}>" in moved["text"]
    assert button(moved["blocks"], "program_move") and button(moved["blocks"], "program_skip")
    assert "Moved to" in h.fake.dms_to(MENTEE)[-1]["text"]
    first, second = calendar_files(h, mentor, MENTEE)
    (old,), (event,) = first.walk("VEVENT"), second.walk("VEVENT")
    assert str(event["UID"]) == str(old["UID"])
    assert int(event["SEQUENCE"]) == int(old["SEQUENCE"]) + 1
    assert event.decoded("DTSTART") == new
    kept = row(engine, session_id)
    assert kept.start.replace(tzinfo=UTC) == new and kept.moves == 1 and kept.reminded_at is None

    # The same form again is stale (the session moved since it opened): nothing changes.
    again = h.sender.submit(MENTEE, view=modal, values=move_values(options[0]["value"])).json()
    assert "moved a moment ago" in again["errors"]["program_move_to"]
    h.wait_idle()
    assert len(calendar_files(h, mentor, MENTEE)) == 2

    # The reminder comes the day before the new time, once.
    programs = h.bot.services.programs
    h.clock.set(new - timedelta(hours=23))
    assert programs.remind_sessions() == 1
    # Too late to move once it has started.
    h.clock.set(new + timedelta(minutes=5))
    assert "already started" in said(h.click(mentor, "program_move", move["value"]))


def test_a_skip_keeps_the_cadence_and_late_clicks_are_refused(harness, engine):
    h = harness
    pairs, mentor, session_id, _, started = book_first_session(h, engine)
    programs = h.bot.services.programs
    (booked,) = group_messages(h, mentor, MENTEE, "is booked")
    skip = button(booked["blocks"], "program_skip")
    move = button(booked["blocks"], "program_move")

    answer = said(h.click(mentor, "program_skip", skip["value"]))
    assert "Session 1 is skipped" in answer and "still proposed on time" in answer
    h.wait_idle()
    (told,) = group_messages(h, mentor, MENTEE, "skipped session 1")
    assert f"<@{mentor}> skipped" in told["text"] and "session 2 is proposed on" in told["text"]
    _, cancel = calendar_files(h, mentor, MENTEE)
    assert str(cancel["METHOD"]) == "CANCEL"
    (event,) = cancel.walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED" and int(event["SEQUENCE"]) == 1

    # Twice, or late on the other buttons: a kind word, no second effect.
    assert "was skipped by" in said(h.click(MENTEE, "program_skip", skip["value"]))
    assert "was skipped by" in said(h.click(MENTEE, "program_move", move["value"]))
    h.wait_idle()
    assert len(group_messages(h, mentor, MENTEE, "skipped session 1")) == 1
    assert row(engine, session_id).status == "skipped"

    # The other pair skips a session still being proposed (nobody picked a time yet).
    other_mentee = next(m for m in pairs if m != MENTEE)
    other_mentor = pairs[other_mentee][1]
    (proposal,) = proposals(h, other_mentor, other_mentee)
    their_skip = button(proposal["blocks"], "program_skip")
    assert "skipped" in said(h.click(other_mentee, "program_skip", their_skip["value"]))
    late_pick = next(b for b in buttons(proposal["blocks"]) if b["action_id"] == "program_pick_1")
    assert "was skipped by" in said(h.click(other_mentee, late_pick["action_id"], late_pick["value"]))
    h.wait_idle()
    assert len(calendar_files(h, other_mentor, other_mentee)) == 0  # never booked: no file to cancel

    # The next session comes on the program's cadence: four weeks from its start, not from a skip.
    h.clock.set(started + WEEKS_4 - timedelta(hours=2))
    assert programs.propose_due_sessions() == 0
    h.clock.set(started + WEEKS_4)
    assert programs.propose_due_sessions() == 2
    h.wait_idle()
    assert "session 2 of 7" in proposals(h, mentor, MENTEE)[-1]["text"]
    assert not [m for m in h.fake.all_messages() if str(m.get("channel", "")).startswith("C")]


def test_forged_change_buttons_are_refused(harness, engine):
    h = harness
    published_program(h, engine)
    assert "doesn't carry what I expected" in said(h.click(MENTEE, "program_move", "ps1.2"))
    assert "no longer exists" in said(h.click(MENTEE, "program_skip", "ps999"))
    assert "doesn't carry what I expected" in said(h.click(MENTEE, "program_agenda", "pm1.0"))
