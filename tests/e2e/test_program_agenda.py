"""The mentor's agenda through signed requests (#14): two days before a booked session the mentor gets a
DM with "Set the agenda" (once, also when the job runs twice); the short form's words reach the mentee
in a DM and in the session's message; the same words again change nothing, new words tell the mentee
again; the mentee's click, an empty form and a click after the start are refused kindly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from e2e_support import button, text_of
from sqlalchemy import select
from test_program_endings import open_modal_via, said
from test_program_session_changes import MENTEE, book_first_session, group_messages

from app.db.models import ProgramSession

AGENDA = "Your first 90 days: what surprised you, and the budget review."


def agenda_values(text):
    return {"program_agenda_text": {"program_agenda_text": {"type": "plain_text_input", "value": text}}}


def test_the_mentor_sets_the_agenda_and_the_mentee_sees_it(harness, engine):
    h = harness
    _, mentor, _, start, _ = book_first_session(h, engine)
    programs = h.bot.services.programs

    h.clock.set(start - timedelta(days=2, minutes=1))
    assert programs.ask_for_agendas() == 0  # not yet two days before
    h.clock.set(start - timedelta(days=2) + timedelta(minutes=1))
    assert programs.ask_for_agendas() == 1  # one pair is booked
    assert programs.ask_for_agendas() == 0  # once
    h.wait_idle()
    (ask,) = [m for m in h.fake.dms_to(mentor) if "Set its agenda" in m.get("text", "")]
    set_it = button(ask["blocks"], "program_agenda")

    assert "(the mentor) sets the agenda" in said(h.click(MENTEE, "program_agenda", set_it["value"]))
    modal = open_modal_via(h, mentor, lambda: h.sender.action(mentor, "program_agenda", set_it["value"]))
    assert modal["callback_id"] == "program_agenda"
    empty = h.sender.submit(mentor, view=modal, values=agenda_values("   ")).json()
    assert "a line or two" in empty["errors"]["program_agenda_text"]
    long = h.sender.submit(mentor, view=modal, values=agenda_values("x" * 1001)).json()
    assert "under 1000" in long["errors"]["program_agenda_text"]
    assert h.sender.submit(mentor, view=modal, values=agenda_values(AGENDA)).status == 200
    h.wait_idle()

    shared = [m for m in h.fake.dms_to(MENTEE) if "set the agenda" in m.get("text", "")]
    assert len(shared) == 1 and AGENDA in text_of(shared[0]["blocks"])
    (booked,) = group_messages(h, mentor, MENTEE, "is booked")  # the session's message, edited
    assert booked.get("edited") and AGENDA in text_of(booked["blocks"])
    assert button(booked["blocks"], "program_move")  # still movable
    assert "The agenda is set" in h.fake.dms_to(mentor)[-1]["text"]

    # The button again: the form opens with the agenda so far; the same words change nothing.
    again = open_modal_via(h, mentor, lambda: h.sender.action(mentor, "program_agenda", set_it["value"]))
    (field,) = [b for b in again["blocks"] if b.get("block_id") == "program_agenda_text"]
    assert field["element"]["initial_value"] == AGENDA
    assert h.sender.submit(mentor, view=again, values=agenda_values(AGENDA)).status == 200
    h.wait_idle()
    assert "nothing changed" in h.fake.dms_to(mentor)[-1]["text"]
    assert len([m for m in h.fake.dms_to(MENTEE) if "the agenda" in m.get("text", "")]) == 1
    # New words: the mentee is told again, the message shows the new ones.
    newer = AGENDA + " And the promotion case."
    assert h.sender.submit(mentor, view=again, values=agenda_values(newer)).status == 200
    h.wait_idle()
    assert "changed the agenda" in h.fake.dms_to(MENTEE)[-1]["text"]
    (booked,) = group_messages(h, mentor, MENTEE, "is booked")
    assert newer in text_of(booked["blocks"])

    # The reminder the day before carries it too.
    h.clock.set(start - timedelta(hours=23))
    assert programs.remind_sessions() == 1
    h.wait_idle()
    (reminder,) = group_messages(h, mentor, MENTEE, "Tomorrow")
    assert newer in text_of(reminder["blocks"])

    # After the start: too late, on the button and on a form left open.
    h.clock.set(start + timedelta(minutes=1))
    assert "already started" in said(h.click(mentor, "program_agenda", set_it["value"]))
    late = h.sender.submit(mentor, view=again, values=agenda_values("Something else")).json()
    assert "already started" in late["errors"]["program_agenda_text"]
    h.wait_idle()
    assert len([m for m in h.fake.dms_to(MENTEE) if "the agenda" in m.get("text", "")]) == 2
    assert not [m for m in h.fake.all_messages() if str(m.get("channel", "")).startswith("C")]


def test_after_a_move_the_agenda_shows_in_the_message_of_the_new_time(harness, engine):
    h = harness
    _, mentor, _, _, _ = book_first_session(h, engine)
    (booked,) = group_messages(h, mentor, MENTEE, "is booked")
    move = button(booked["blocks"], "program_move")
    modal = open_modal_via(h, mentor, lambda: h.sender.action(mentor, "program_move", move["value"]))
    (radio,) = [b for b in modal["blocks"] if b.get("block_id") == "program_move_to"]
    value = radio["element"]["options"][0]["value"]
    chosen = {
        "program_move_to": {"program_move_to": {"type": "radio_buttons", "selected_option": {"value": value}}}
    }
    assert h.sender.submit(mentor, view=modal, values=chosen).status == 200
    h.wait_idle()
    (moved,) = group_messages(h, mentor, MENTEE, "was moved")
    start = datetime.fromtimestamp(int(value), tz=UTC)

    h.clock.set(start - timedelta(days=2) + timedelta(minutes=1))
    assert h.bot.services.programs.ask_for_agendas() == 1
    h.wait_idle()
    (ask,) = [m for m in h.fake.dms_to(mentor) if "Set its agenda" in m.get("text", "")]
    set_it = button(ask["blocks"], "program_agenda")
    form = open_modal_via(h, mentor, lambda: h.sender.action(mentor, "program_agenda", set_it["value"]))
    assert h.sender.submit(mentor, view=form, values=agenda_values(AGENDA)).status == 200
    h.wait_idle()
    (moved,) = group_messages(h, mentor, MENTEE, "was moved")
    assert moved.get("edited") and AGENDA in text_of(moved["blocks"])
    assert f"moved by <@{mentor}>" in moved["text"]
    (booked,) = group_messages(h, mentor, MENTEE, "is booked")
    assert AGENDA not in text_of(booked["blocks"])  # the old time's message stays as it was

    # Forget-me: the mentor's agenda (their words) goes; who moved it is no longer their id.
    h.click(mentor, "forget_confirm", "forget")
    h.wait_idle()
    with engine.connect() as c:
        kept = c.execute(
            select(ProgramSession.agenda, ProgramSession.moved_by).where(ProgramSession.moves == 1)
        ).one()
    assert kept.agenda is None and kept.moved_by not in (None, mentor)
