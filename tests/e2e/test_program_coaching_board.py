"""Coaches and the board through signed requests (#14): ten people apply in the modal (some consent to
be named), five pairs are published with one coach, four hold their first session and one does not.
The coach's weekly digest shows sessions held, the next one and who is behind, once a week whoever
runs it (two replicas claim once); three check-in prompts per mentor reach the coach over the wave;
nothing of a rating or a note reaches the coach. The board shows departments to anyone, pairs only
where both agreed to be named, every pair to the admin, and sits in the App Home."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from e2e_support import ADMIN, ASKER, buttons, text_of
from slack_requests import app_home_opened_event
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker
from test_program_endings import COACH, open_modal_via, pick, program_values, said, text
from test_program_outcomes import answer, hold, last_with, pairs_now
from test_programs_flow import apply_from_dm

from app.db.models import ProgramCoachSend, ProgramSession
from app.services.programs import coaching
from app.slack.blocks.format import local_time

NAME = "Reverse 2027"
MENTORS = [f"UMO000{k}" for k in range(1, 6)]  # team ops, level 1, all consent to be named
MENTEES = [f"UES000{k}" for k in range(1, 6)]  # team sales, level 5; only the first two consent
NAMED = set(MENTEES[:2])
SECRET = "my private worry about this pairing"


def application(role, team, level, consent):
    chosen = [{"value": "yes"}] if consent else []
    return {
        "program_role": {"program_role": pick(role)},
        "program_team": {"program_team": text(team)},
        "program_level": {"program_level": pick(level)},
        "program_interests": {"program_interests": text("chess")},
        "program_goals": {"program_goals": text("to learn how the floor sees us")},
        "program_intro": {"program_intro": text("Hello!")},
        "program_consent": {"program_consent": {"type": "checkboxes", "selected_options": chosen}},
    }


def applied_program(h):
    """The program, its applications made in the modal, published; its start as an instant."""
    for uid in MENTORS + MENTEES:
        h.fake.add_user(uid, uid.lower(), real_name=uid, tz="Europe/London")
    modal = open_modal_via(h, ADMIN, lambda: h.command(ADMIN, "program new"))
    day = (h.clock.now() + timedelta(days=14)).date()
    assert h.sender.submit(ADMIN, view=modal, values=program_values(day.isoformat())).status == 200
    h.wait_idle()
    invited = " ".join(f"<@{u}>" for u in MENTORS + MENTEES)
    assert "Invited 10 new people" in said(h.answer(ADMIN, f"program invite {NAME} {invited}"))
    h.wait_idle()
    for uid in MENTORS:
        apply_from_dm(h, uid, application("mentor", "ops", "1", True))
    for uid in MENTEES:
        apply_from_dm(h, uid, application("mentee", "sales", "5", uid in NAMED))
    h.wait_idle()
    assert "5 pairs introduced" in said(h.answer(ADMIN, f"program publish {NAME}"))
    h.wait_idle()
    return datetime.combine(day, time(), tzinfo=UTC)


def first_sessions(h, engine, start, pairs):
    """Session 1 proposed; every pair but the last mentee's holds it, rated 4; one private note."""
    programs = h.bot.services.programs
    h.clock.set(start + timedelta(hours=1))
    programs.propose_due_sessions()
    h.wait_idle()
    for mentee in MENTEES[:4]:
        hold(h, pairs[mentee], mentee, 1)
    h.wait_idle()
    with engine.connect() as c:
        latest = max(
            c.execute(select(ProgramSession.start).where(ProgramSession.start.is_not(None))).scalars()
        )
    h.clock.set(latest.replace(tzinfo=UTC) + timedelta(minutes=61))
    programs.ask_after_sessions()
    h.wait_idle()
    for mentee in MENTEES[:4]:
        answer(h, mentee, 1, "program_rate_4")
    ask = last_with(h.fake.dms_to(MENTEES[0]), "How was session 1")
    note = next(b for b in buttons(ask["blocks"]) if b["action_id"] == "program_note")
    modal = open_modal_via(h, MENTEES[0], lambda: h.sender.action(MENTEES[0], "program_note", note["value"]))
    values = {"program_note_text": {"program_note_text": text(SECRET)}}
    assert h.sender.submit(MENTEES[0], view=modal, values=values).status == 200
    h.wait_idle()


def coach_dms(h, words):
    return [m for m in h.fake.dms_to(COACH) if words in m.get("text", "")]


def test_coach_digests_and_check_in_prompts(harness, engine):
    h = harness
    start = applied_program(h)
    pairs = pairs_now(engine)
    first_sessions(h, engine, start, pairs)
    programs = h.bot.services.programs

    h.clock.set(start + timedelta(weeks=4, hours=1))  # session 1's window has closed
    programs.propose_due_sessions()  # session 2; the first pair books it
    h.wait_idle()
    hold(h, pairs[MENTEES[0]], MENTEES[0], 2)
    h.wait_idle()
    with engine.connect() as c:
        booked = c.scalar(
            select(ProgramSession.start).where(
                ProgramSession.status == "confirmed", ProgramSession.number == 2
            )
        )
    # The coach never used the bot: the digest's times are in their zone as Slack has it.
    h.fake.add_user(COACH, "coach", real_name="Coach", tz="America/Los_Angeles")
    assert programs.send_coach_digests() == 1
    h.wait_idle()
    (digest,) = coach_dms(h, "weekly digest")
    shown = text_of(digest["blocks"])
    assert f"*{NAME}*: 5 pairs, 1 behind" in digest["text"]
    first = f"<@{pairs[MENTEES[0]]}> with <@{MENTEES[0]}>: 1 held of 1 due (7 in all); next "
    assert first + local_time(booked.replace(tzinfo=UTC), "America/Los_Angeles") + "." in shown
    for mentee in MENTEES[1:4]:
        assert f"<@{pairs[mentee]}> with <@{mentee}>: 1 held of 1 due (7 in all); no session booked." in shown
    assert f"<@{pairs[MENTEES[4]]}> with <@{MENTEES[4]}>: 0 held of 1 due" in shown and "*behind*" in shown
    assert not coach_dms(h, "Check-in")  # the first prompt comes a quarter of the way through

    # Once a week, whoever runs it: again now, and a second replica that read the same due list.
    assert programs.send_coach_digests() == 0
    h.clock.set(start + timedelta(weeks=5, hours=1))
    factory = sessionmaker(engine)
    with factory() as s:
        seen_by_both = coaching.due_sends(s, h.clock.now())
    assert len(seen_by_both) == 1
    with factory.begin() as s:
        coaching.send(s, seen_by_both[0], now=h.clock.now())
    with pytest.raises(IntegrityError), factory.begin() as s:
        coaching.send(s, seen_by_both[0], now=h.clock.now())
    assert programs.send_coach_digests() == 0
    h.wait_idle()
    assert len(coach_dms(h, "weekly digest")) == 2

    # Three check-in prompts per mentor over the 28-week wave: at weeks 7, 14 and 21.
    for k, week in enumerate((7, 14, 21), start=1):
        h.clock.set(start + timedelta(weeks=week, hours=1))
        programs.send_coach_digests()
        h.wait_idle()
        prompts = coach_dms(h, f"Check-in {k} of 3")
        assert sorted(p["text"].split("reach out to <@")[1][:7] for p in prompts) == sorted(MENTORS)
        programs.send_coach_digests()
        h.wait_idle()
        assert len(coach_dms(h, f"Check-in {k} of 3")) == 5
    assert len(coach_dms(h, "Check-in")) == 15

    # From a prompt, the coach may have the bot check in with the mentor in their name, once.
    prompt = coach_dms(h, "Check-in 1 of 3")[0]
    mentor = prompt["text"].split("reach out to <@")[1][:7]
    ask_them = next(b for b in buttons(prompt["blocks"]) if b["action_id"] == "program_coach_nudge")
    assert "Only the pair's coach" in said(h.click(ASKER, "program_coach_nudge", ask_them["value"]))
    assert f"Sent: <@{mentor}> hears from you" in said(
        h.click(COACH, "program_coach_nudge", ask_them["value"])
    )
    assert "already checked in" in said(h.click(COACH, "program_coach_nudge", ask_them["value"]))
    h.wait_idle()
    heard = [m for m in h.fake.dms_to(mentor) if "your coach in" in m.get("text", "")]
    assert len(heard) == 1 and f"<@{COACH}>, your coach in *{NAME}*, is checking in" in heard[0]["text"]
    with engine.connect() as c:
        assert (
            c.scalar(
                select(func.count())
                .select_from(ProgramCoachSend)
                .where(ProgramCoachSend.key.like("prompt:%"))
            )
            == 15
        )

    # Coaches never see ratings or notes.
    for m in h.fake.dms_to(COACH):
        words = str(m)
        assert SECRET not in words and "rated" not in words and "rating" not in words.replace("ratings", "")


def test_the_board_by_department_by_consenting_pair_and_for_the_admin(harness, engine):
    h = harness
    start = applied_program(h)
    pairs = pairs_now(engine)
    viewer = MENTEES[3]  # in the program, and did not consent to be named
    assert "ops: 100% up to date (5 of 5 people)" in said(
        h.answer(viewer, f"program board {NAME}")
    )  # none due yet
    first_sessions(h, engine, start, pairs)
    h.clock.set(start + timedelta(weeks=4, hours=1))

    # Consent was to be named to the program's other people: an outsider sees nothing, and is not even
    # told whether the program exists.
    outsider = said(h.answer(ASKER, f"program board {NAME}"))
    assert outsider == said(h.answer(ASKER, "program board Nothing Here"))
    assert "Only the people in a program (and admins) see its board." in outsider
    assert "up to date" not in outsider and not any(f"<@{u}>" in outsider for u in MENTORS + MENTEES)
    assert "up to date" in said(h.answer(COACH, f"program board {NAME}"))  # its coach

    board = said(h.answer(viewer, f"program board {NAME}"))
    assert "sessions up to date" in board
    assert "1. ops: 80% up to date (4 of 5 people)" in board
    assert "sales: 80% up to date (4 of 5 people)" in board
    assert "Pairs who agreed to be named" in board
    for mentee in MENTEES:
        assert (f"<@{mentee}>" in board) == (mentee in NAMED)
    assert "3 pairs chose not to be named" in board

    admin = said(h.answer(ADMIN, f"program board {NAME}"))
    assert "Every pair* (admin view)" in admin
    assert all(f"<@{m}>" in admin for m in MENTEES)
    assert f"<@{pairs[MENTEES[4]]}> & <@{MENTEES[4]}>: 0 of 1 due held" in admin.splitlines()[-1]

    assert "no program called" in said(h.answer(ADMIN, "program board Nothing Here"))  # admins may know
    assert "Which program?" in h.command(ASKER, "program board").json()["text"]

    # In the App Home of someone in the program.
    h.sender.event(app_home_opened_event(MENTEES[2]))
    home = h.fake.wait_for(lambda: h.fake.home_view(MENTEES[2]))
    shown = text_of(home["blocks"])
    assert f"*{NAME}*, wave 1: sessions up to date." in shown and "ops: 80% up to date" in shown
    assert f"<@{MENTEES[2]}>" not in shown.split("sessions up to date")[1]  # they didn't agree


def test_after_downtime_only_the_latest_check_in_prompt_goes(harness, engine):
    h = harness
    start = applied_program(h)
    programs = h.bot.services.programs
    h.clock.set(start + timedelta(weeks=15))  # down since before week 7: prompts 1 and 2 both passed
    programs.send_coach_digests()
    programs.send_coach_digests()
    h.wait_idle()
    assert len(coach_dms(h, "Check-in 2 of 3")) == 5 and not coach_dms(h, "Check-in 1 of 3")
    assert len(coach_dms(h, "weekly digest")) == 1
    h.clock.set(start + timedelta(weeks=21, hours=1))
    programs.send_coach_digests()
    h.wait_idle()
    assert len(coach_dms(h, "Check-in 3 of 3")) == 5 and len(coach_dms(h, "Check-in")) == 10
