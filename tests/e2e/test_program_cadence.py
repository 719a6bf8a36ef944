"""Sessions on the program's cadence through signed requests (#14): once the program starts, each pair
is proposed three times inside both working days at the program's session length; the mentee picks,
the mentor confirms, both get calendar links and an .ics file, and a reminder the day before. Each
session number is proposed once, also when the job runs twice or after downtime; late and wrong
clicks are refused kindly."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
from e2e_support import buttons
from sqlalchemy import func, select
from test_program_endings import open_modal_via, published_program, said

from app.db.models import ProgramSession, ProgramSessionAnswer

LONDON = ZoneInfo("Europe/London")


def count_sessions(engine):
    with engine.connect() as c:
        return c.scalar(select(func.count()).select_from(ProgramSession))


def proposals(h, mentor, mentee):
    group = h.fake.messages_in(h.fake.dm_channel_for(mentor, mentee))
    return [m for m in group if "pick a time" in m.get("text", "")]


def test_propose_pick_confirm_remind_on_the_cadence(harness, engine):
    h = harness
    pairs = published_program(h, engine)
    mentee = "UEA0001"
    _, mentor = pairs[mentee]
    programs = h.bot.services.programs

    assert programs.propose_due_sessions() == 0  # the program starts in 14 days
    h.clock.advance(timedelta(days=14, hours=1))
    assert programs.propose_due_sessions() == 2  # session 1 of both pairs
    assert programs.propose_due_sessions() == 0  # once: a second run (or replica) proposes nothing
    h.wait_idle()
    assert count_sessions(engine) == 2
    (proposal,) = proposals(h, mentor, mentee)
    assert "session 1 of 7" in proposal["text"]
    picks = [b for b in buttons(proposal["blocks"]) if b["action_id"].startswith("program_pick")]
    assert len(picks) == 3
    with engine.connect() as c:
        offered = c.execute(select(ProgramSession.slots).where(ProgramSession.number == 1)).scalars().first()
    starts = [datetime.fromisoformat(s) for s in offered]
    now = h.clock.now()
    days = set()
    for s in starts:  # 60 minutes inside both people's weekday 09:00-17:00 (London), 2-9 days ahead
        local = s.astimezone(LONDON)
        assert local.weekday() < 5 and local.hour >= 9 and (local + timedelta(minutes=60)).hour <= 17
        assert now + timedelta(days=2) <= s < now + timedelta(days=9)
        days.add(local.date())
    assert len(days) == 3

    assert "picks the time" in said(h.click(mentor, picks[0]["action_id"], picks[0]["value"]))
    picked = said(h.click(mentee, picks[1]["action_id"], picks[1]["value"]))
    assert "Picked" in picked and "asked to confirm" in picked
    late = said(h.click(mentee, picks[2]["action_id"], picks[2]["value"]))
    assert "already picked" in late
    h.wait_idle()
    ask = h.fake.wait_for(lambda: [m for m in h.fake.dms_to(mentor) if "Confirm it" in m.get("text", "")])[-1]
    confirm = next(b for b in buttons(ask["blocks"]) if b["action_id"] == "program_confirm")
    assert "confirms this session" in said(h.click(mentee, "program_confirm", confirm["value"]))
    assert "Confirmed" in said(h.click(mentor, "program_confirm", confirm["value"]))
    assert "already confirmed" in said(h.click(mentor, "program_confirm", confirm["value"]))
    h.wait_idle()
    group = h.fake.dm_channel_for(mentor, mentee)
    booked = [m for m in h.fake.messages_in(group) if "is booked" in m.get("text", "")]
    assert len(booked) == 1
    links = [b for b in buttons(booked[0]["blocks"]) if b.get("url")]
    assert {b["text"]["text"] for b in links} == {"Add to Google Calendar", "Add to Outlook"}
    shared = [f for m in h.fake.messages_in(group) for f in m.get("files") or []]
    assert len(shared) == 1
    calendar = icalendar.Calendar.from_ical(h.fake.files[shared[0]["id"]]["content"])
    (event,) = calendar.walk("VEVENT")
    assert event.decoded("DTSTART") == starts[1]
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=60)

    # The reminder: not before the day before; then once.
    assert programs.remind_sessions() == 0
    h.clock.set(starts[1] - timedelta(hours=23))
    assert programs.remind_sessions() == 1
    assert programs.remind_sessions() == 0
    h.wait_idle()
    reminders = [m for m in h.fake.messages_in(group) if m.get("text", "").startswith("Tomorrow")]
    assert len(reminders) == 1

    # Afterwards both are asked, once: did it happen, a rating, a private note only its author reads.
    assert programs.ask_after_sessions() == 0  # not over yet
    h.clock.set(starts[1] + timedelta(minutes=61))
    assert programs.ask_after_sessions() == 1
    assert programs.ask_after_sessions() == 0
    h.wait_idle()
    asks = {}
    for who in (mentor, mentee):
        (ask,) = [m for m in h.fake.dms_to(who) if "How was session 1" in m.get("text", "")]
        asks[who] = {b["action_id"]: b for b in buttons(ask["blocks"])}
    rate = asks[mentee]["program_rate_4"]
    assert "Only the two people" in said(h.click("UEB0001", rate["action_id"], rate["value"]))
    assert "rated it 4" in said(h.click(mentee, rate["action_id"], rate["value"]))
    again = asks[mentee]["program_rate_5"]
    assert "already answered" in said(h.click(mentee, again["action_id"], again["value"]))
    held = asks[mentor]["program_not_held"]
    assert "next session is proposed on time" in said(h.click(mentor, held["action_id"], held["value"]))
    note = asks[mentee]["program_note"]
    modal = open_modal_via(h, mentee, lambda: h.sender.action(mentee, "program_note", note["value"]))
    secret = "I froze when she asked about the budget."
    values = {"program_note_text": {"program_note_text": {"type": "plain_text_input", "value": secret}}}
    assert h.sender.submit(mentee, view=modal, values=values).status == 200
    h.wait_idle()
    with engine.connect() as c:
        answers = c.execute(
            select(ProgramSessionAnswer.user_id, ProgramSessionAnswer.happened, ProgramSessionAnswer.rating)
        ).all()
        kept = c.execute(select(ProgramSessionAnswer.note).where(ProgramSessionAnswer.user_id == mentee))
        assert kept.scalar_one() == secret
    assert sorted(answers) == sorted([(mentee, True, 4), (mentor, False, None)])
    assert not [m for m in h.fake.all_messages() if secret in str(m)]  # nobody is shown it

    # Downtime: the bot was off for two cadences; only the latest due session is proposed, once.
    h.clock.advance(timedelta(weeks=8, days=1))
    assert programs.propose_due_sessions() == 2
    assert programs.propose_due_sessions() == 0
    with engine.connect() as c:
        numbers = sorted(c.execute(select(ProgramSession.number)).scalars())
    assert numbers == [1, 1, 3, 3]
    h.wait_idle()
    assert "session 3 of 7" in proposals(h, mentor, mentee)[-1]["text"]
    assert not [m for m in h.fake.all_messages() if str(m.get("channel", "")).startswith("C")]


def test_forged_session_buttons_are_refused(harness, engine):
    h = harness
    published_program(h, engine)
    assert "doesn't carry what I expected" in said(h.click("UEA0001", "program_pick_0", "ps1.7"))
    assert "no longer exists" in said(h.click("UEA0001", "program_pick_0", "ps999.0"))
    assert "doesn't carry what I expected" in said(h.click("UMA0001", "program_confirm", "ps1.0"))
    assert count_sessions(engine) == 0
