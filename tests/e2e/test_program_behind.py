"""Pairs behind schedule through signed requests (#14): a session not held in its window (nobody picked
a time by the window's end, or both said it didn't happen) earns the pair ONE nudge in their group DM;
at the second missed session their coach is told (names and a count: never notes or ratings). A
skipped session is not missed; judging twice changes nothing."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, time, timedelta

from e2e_support import button, buttons
from sqlalchemy import select
from test_program_cadence import proposals
from test_program_endings import COACH, published_program, said
from test_program_session_changes import group_messages

from app.bootstrap import create_services
from app.db.engine import create_db_engine
from app.db.models import Program, ProgramSession

NUDGE = "didn't happen in its window"


def coach_words(h):
    return [m["text"] for m in h.fake.dms_to(COACH) if "have missed" in m.get("text", "")]


def test_one_nudge_then_the_coach_after_the_second_missed_session(harness, engine):
    h = harness
    pairs = published_program(h, engine)
    (a_mentee, (_, a_mentor)), (b_mentee, (_, b_mentor)) = sorted(pairs.items())
    programs = h.bot.services.programs
    with engine.connect() as c:
        anchor = datetime.combine(c.execute(select(Program.start_date)).scalar_one(), time(), tzinfo=UTC)
    period = timedelta(weeks=4)

    h.clock.set(anchor + timedelta(hours=1))
    assert programs.propose_due_sessions() == 2
    h.wait_idle()
    # Nobody picks a time for session 1. Not behind until its window ends.
    h.clock.set(anchor + period - timedelta(minutes=1))
    assert programs.judge_behind() == 0
    h.clock.set(anchor + period + timedelta(minutes=1))
    assert programs.judge_behind() == 2
    assert programs.judge_behind() == 0
    h.wait_idle()
    for mentor, mentee in ((a_mentor, a_mentee), (b_mentor, b_mentee)):
        (nudge,) = group_messages(h, mentor, mentee, NUDGE)
        assert "without blame" in str(nudge["blocks"])
    assert coach_words(h) == []  # one missed session: the coach isn't told

    # Session 2: pair A lets it pass again; pair B skips it (a choice, not a miss).
    assert programs.propose_due_sessions() == 2
    h.wait_idle()
    b_proposal = proposals(h, b_mentor, b_mentee)[-1]
    assert "skipped" in said(
        h.click(b_mentee, "program_skip", button(b_proposal["blocks"], "program_skip")["value"])
    )
    h.clock.set(anchor + 2 * period + timedelta(minutes=1))
    assert programs.judge_behind() == 1
    h.wait_idle()
    (told,) = coach_words(h)
    assert f"<@{a_mentor}> and <@{a_mentee}> have missed 2 sessions" in told
    assert len(group_messages(h, a_mentor, a_mentee, NUDGE)) == 1  # ONE nudge, never a second

    # Session 3: pair B books it, then both say it didn't happen; pair A misses a third time.
    assert programs.propose_due_sessions() == 2
    h.wait_idle()
    b_proposal = proposals(h, b_mentor, b_mentee)[-1]
    pick = next(b for b in buttons(b_proposal["blocks"]) if b["action_id"] == "program_pick_0")
    assert "Picked" in said(h.click(b_mentee, pick["action_id"], pick["value"]))
    h.wait_idle()
    ask = [m for m in h.fake.dms_to(b_mentor) if "Confirm it" in m.get("text", "")][-1]
    assert "Confirmed" in said(
        h.click(b_mentor, "program_confirm", button(ask["blocks"], "program_confirm")["value"])
    )
    with engine.connect() as c:
        start = (
            c.execute(select(ProgramSession.start).where(ProgramSession.status == "confirmed"))
            .scalar_one()
            .replace(tzinfo=UTC)
        )
    h.clock.set(start + timedelta(minutes=61))
    assert programs.ask_after_sessions() == 1
    h.wait_idle()
    for who in (b_mentor, b_mentee):
        (check_in,) = [m for m in h.fake.dms_to(who) if "How was session 3" in m.get("text", "")]
        held = button(check_in["blocks"], "program_not_held")
        said(h.click(who, held["action_id"], held["value"]))
        note = button(check_in["blocks"], "program_note")
        assert note  # a note stays private; the coach never sees one (checked below)
    h.clock.set(anchor + 3 * period + timedelta(minutes=1))
    assert programs.judge_behind() == 2  # A's third, B's second (the skipped one didn't count)
    assert programs.judge_behind() == 0
    h.wait_idle()
    words = coach_words(h)
    assert len(words) == 2 and f"<@{b_mentor}> and <@{b_mentee}> have missed 2 sessions" in words[1]
    assert len(group_messages(h, b_mentor, b_mentee, NUDGE)) == 1
    coach_saw = " ".join(str(m) for m in h.fake.dms_to(COACH))
    assert "rated" not in coach_saw and "note" not in coach_saw.lower()
    with engine.connect() as c:
        missed = (
            c.execute(
                select(ProgramSession.number)
                .where(ProgramSession.missed_at.is_not(None))
                .order_by(ProgramSession.number)
            )
            .scalars()
            .all()
        )
    assert missed == [1, 1, 2, 3, 3]


def test_two_replicas_judge_a_missed_session_once(harness, engine, database_url):
    h = harness
    pairs = published_program(h, engine)
    with engine.connect() as c:
        anchor = datetime.combine(c.execute(select(Program.start_date)).scalar_one(), time(), tzinfo=UTC)
    h.clock.set(anchor + timedelta(hours=1))
    assert h.bot.services.programs.propose_due_sessions() == 2
    h.wait_idle()
    h.clock.set(anchor + timedelta(weeks=4, minutes=1))
    other = create_db_engine(database_url)
    try:
        replicas = [h.bot.services.programs, create_services(other, h.bot.settings, h.clock).programs]
        barrier = threading.Barrier(2)
        results: list[int] = []

        def replica(programs) -> None:
            barrier.wait()
            results.append(programs.judge_behind())

        threads = [threading.Thread(target=replica, args=(p,)) for p in replicas]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        assert sum(results) == 2  # each pair's session 1, once between them
    finally:
        other.dispose()
    h.wait_idle()
    for mentee, (_, mentor) in pairs.items():
        assert len(group_messages(h, mentor, mentee, NUDGE)) == 1
