"""Someone who leaves the workspace mid-wave, found at delivery (#14): Slack refuses the pair's group DM
(the person is deactivated) or a DM (account_inactive). Each live pairing of theirs ends, marked as a
leaving; the partner is told kindly; the coach is told; the admin is offered re-matches for the one
still here, never the one who left; it happens once however many notices fail."""

from __future__ import annotations

from datetime import timedelta

from e2e_support import ADMIN, buttons, text_of
from sqlalchemy import select
from test_program_cadence import proposals
from test_program_endings import COACH, MENTORS, published_program, said

from app.db.models import ProgramEnding, ProgramPair

KIND = "has left the workspace"


def admin_notes(h):
    return [m for m in h.fake.dms_to(ADMIN) if "left the workspace" in m.get("text", "")]


def test_a_partner_who_left_is_found_at_delivery_and_the_admin_re_matches(harness, engine):
    h = harness
    pairs = published_program(h, engine)
    (a_mentee, (_, a_mentor)), (b_mentee, (_, b_mentor)) = sorted(pairs.items())
    free = next(u for u in MENTORS if u not in {a_mentor, b_mentor})
    programs = h.bot.services.programs

    # A's mentor is deactivated; the next session's proposal can't open their group DM.
    h.fake.deactivate_user(a_mentor)
    h.clock.advance(timedelta(days=14, hours=1))
    assert programs.propose_due_sessions() == 2
    h.wait_idle()
    with engine.connect() as c:
        (ending,) = c.execute(select(ProgramEnding)).all()
    assert ending.ended_by == a_mentor and ending.left_workspace and ending.reason == ""
    told = [m for m in h.fake.dms_to(a_mentee) if KIND in m.get("text", "")]
    assert len(told) == 1 and "nobody's doing" in told[0]["text"]
    assert any(f"<@{a_mentor}> and <@{a_mentee}> has ended" in m["text"] for m in h.fake.dms_to(COACH))
    (note,) = admin_notes(h)
    repairs = [b for b in buttons(note["blocks"]) if b["action_id"].startswith("program_repair")]
    assert len(repairs) == 1 and free in repairs[0]["value"] and a_mentee in repairs[0]["value"]
    assert "reason" not in text_of(note["blocks"]).lower()

    # Another failed notice for the same person changes nothing.
    assert programs.people_left([a_mentor]) == 0
    # One click re-pairs the one still here.
    assert f"<@{free}> mentors <@{a_mentee}>" in said(
        h.click(ADMIN, repairs[0]["action_id"], repairs[0]["value"])
    )
    h.wait_idle()
    assert len(h.fake.messages_in(h.fake.dm_channel_for(free, a_mentee))) == 1

    # B's mentor leaves too: Slack answers account_inactive when the mentee's pick is sent to them.
    (proposal,) = proposals(h, b_mentor, b_mentee)
    pick = next(b for b in buttons(proposal["blocks"]) if b["action_id"] == "program_pick_0")
    h.fake.fail_next("conversations.open", error="account_inactive")
    assert "Picked" in said(h.click(b_mentee, pick["action_id"], pick["value"]))
    h.wait_idle()
    assert len([m for m in h.fake.dms_to(b_mentee) if KIND in m.get("text", "")]) == 1
    last = text_of(admin_notes(h)[-1]["blocks"])
    # The one who left earlier is never offered; the free mentor is taken: nobody fits now.
    assert "Nobody free fits" in last and a_mentor not in str(admin_notes(h)[-1]["blocks"][1:])
    with engine.connect() as c:
        left = c.execute(
            select(ProgramEnding.ended_by).where(ProgramEnding.left_workspace.is_(True))
        ).scalars()
        assert sorted(left) == sorted([a_mentor, b_mentor])
        assert c.execute(select(ProgramPair.id)).scalars().all().__len__() == 3
    assert not [m for m in h.fake.all_messages() if str(m.get("channel", "")).startswith("C")]

    # After the last session's window the pairing is over anyway: someone leaving then ends nothing.
    h.clock.advance(timedelta(weeks=30))
    assert programs.people_left([free]) == 0
    h.wait_idle()
    assert not [m for m in h.fake.dms_to(a_mentee) if f"<@{free}> {KIND}" in m.get("text", "")]
