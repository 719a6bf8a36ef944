"""The host moves a session, through signed requests: the Move button on their list opens a form with the
new date and start in their zone; a past time, one more than 90 days ahead, someone else's click or a
cancelled session are refused and change nothing; a move tells everyone the new time in their own zone,
seat holders with the calendar's next revision (same UID, higher SEQUENCE); a Join on a message from
before the move still works and shows the new time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import vobject
from e2e_support import ADMIN, ASKER, MENTOR, OTHER, button, text_of
from sqlalchemy import select
from test_hosted_sessions import BERLIN, host_a_session, said
from test_session_calendar import files_in

from app.db.models import HostedSession

NEW_YORK = ZoneInfo("America/New_York")
LATE = "ULATE0002"


def row_of(engine, session_id):
    with engine.connect() as c:
        return c.execute(
            select(HostedSession.start_at, HostedSession.sequence).where(HostedSession.id == session_id)
        ).one()


def open_move(h, user_id, value):
    h.sender.action(user_id, "move_session", value)
    trigger = h.sender.last_trigger_id
    h.wait_idle()
    opened = [c for c in h.fake.calls_to("views.open", ok=True) if c.args["trigger_id"] == trigger]
    return opened[0].args["view"] if opened else None


def move_values(day: str, at: str):
    return {
        "session_date": {"session_date_input": {"type": "datepicker", "selected_date": day}},
        "session_time": {"session_time_input": {"type": "timepicker", "selected_time": at}},
    }


def test_the_host_moves_a_session_and_everyone_is_told_in_their_zone(harness, engine):
    h = harness
    session_id = host_a_session(h, engine)  # 2 seats, noon Berlin in three days
    old_start, _ = row_of(engine, session_id)
    listed = h.answer(ASKER, "sessions")
    join = button(listed.blocks, "join_session")
    for person in (ASKER, OTHER, ADMIN):  # two seats, one waiting
        h.click(person, "join_session", join["value"])
    h.wait_idle()

    mine = h.answer(MENTOR, "sessions")
    move = button(mine.blocks, "move_session")
    assert button(mine.blocks, "cancel_session")["value"] == move["value"]
    refused = h.click(ASKER, "move_session", move["value"])
    assert "Only the host can move" in said(refused)

    form = open_move(h, MENTOR, move["value"])
    assert form["callback_id"] == "move_session_form"
    date_block = next(b for b in form["blocks"] if b.get("block_id") == "session_date")
    assert date_block["element"]["initial_date"] == old_start.astimezone(BERLIN).date().isoformat()
    local = h.clock.now().astimezone(BERLIN)
    for day, words in [
        ((local - timedelta(days=1)).date().isoformat(), "passed"),
        ((local + timedelta(days=92)).date().isoformat(), "90 days"),
        (old_start.astimezone(BERLIN).date().isoformat(), "already at that time"),
    ]:
        reply = h.sender.submit(MENTOR, view=form, values=move_values(day, "12:00"))
        body = reply.json()
        assert body["response_action"] == "errors" and words in body["errors"]["session_date"], body
    assert row_of(engine, session_id) == (old_start, 0)

    new_day = (old_start.astimezone(BERLIN) + timedelta(days=1)).date()
    assert h.sender.submit(MENTOR, view=form, values=move_values(new_day.isoformat(), "15:30")).status == 200
    h.wait_idle()
    new_start, sequence = row_of(engine, session_id)
    assert new_start == datetime(new_day.year, new_day.month, new_day.day, 15, 30, tzinfo=BERLIN).astimezone(
        UTC
    )
    assert sequence == 1
    assert any("You moved" in text_of(m.get("blocks"), m.get("text", "")) for m in h.fake.dms_to(MENTOR))

    ny = new_start.astimezone(NEW_YORK)
    told = [m for m in h.fake.dms_to(ASKER) if "moved" in (m.get("text") or "")]
    assert told and f"{ny:%H:%M} {ny.tzname()}" in told[-1]["text"]  # the new time on their clock
    assert "it was" in told[-1]["text"]
    moved_file = files_in(h, ASKER)[-1]
    assert moved_file["name"] == f"mentorbot-session-{session_id}-1.ics"
    calendar = icalendar.Calendar.from_ical(moved_file["content"])
    (event,) = calendar.walk("VEVENT")
    assert str(calendar["METHOD"]) == "REQUEST" and int(event["SEQUENCE"]) == 1
    assert str(event["UID"]) == f"session-{session_id}@mentorbot" and event.decoded("DTSTART") == new_start
    second = vobject.readOne(moved_file["content"].decode())
    assert int(second.vevent.sequence.value) == 1 and second.vevent.dtstart.value == new_start
    assert any("moved" in (m.get("text") or "") for m in h.fake.dms_to(ADMIN))
    assert not files_in(h, ADMIN)  # only waiting: nothing on their calendar

    # A Join on the message from before the move: it works, at the new time.
    h.fake.add_user(LATE, "lou", real_name="Lou Late", tz="America/New_York")
    stale = h.click(LATE, "join_session", join["value"])
    assert "on the waitlist (number 2)" in said(stale) and f"{ny:%H:%M}" in said(stale)

    # Cancelled: there's nothing to move.
    h.click(MENTOR, "cancel_session", move["value"])
    h.wait_idle()
    late_click = h.click(MENTOR, "move_session", move["value"])
    assert "cancelled: there's nothing to move" in said(late_click)
    reply = h.sender.submit(MENTOR, view=form, values=move_values(new_day.isoformat(), "17:00"))
    assert "cancelled" in reply.json()["errors"]["session_date"]
    assert row_of(engine, session_id) == (new_start, 1)
