"""No-blame endings and re-matching through signed requests (#14, part 1 of it): a published pair's
"this isn't working" button opens a private modal; ending tells the partner and the coach kindly,
without the reason; the admin reads the reason and re-pairs with one click among the matcher's best
free partners, past partners excluded. Late and second clicks change nothing; endings and re-matches
are counted."""

from __future__ import annotations

from datetime import timedelta

from e2e_support import ADMIN, ASKER, OTHER, button, buttons, text_of
from sqlalchemy import func, select

from app.db.models import ProgramEnding, ProgramPair

NAME = "Reverse 2027"
COACH = OTHER
MENTORS = {"UMA0001": "eng", "UMB0001": "ops", "UMC0001": "hr"}  # level 1 each
MENTEES = {"UEA0001": "sales", "UEB0001": "legal"}  # level 5 each
REASON = "We never found a time, and honestly the chemistry is off."


def said(reply):
    return text_of(reply.blocks, reply.text)


def pick(value):
    return {"type": "static_select", "selected_option": {"value": value}}


def text(value):
    return {"type": "plain_text_input", "value": value}


def program_values(day: str):
    return {
        "program_name": {"program_name": text(NAME)},
        "program_purpose": {"program_purpose": text("Leaders learn from the floor.")},
        "program_kind": {"program_kind": pick("reverse")},
        "program_gap": {"program_gap": pick("2")},
        "program_other_team": {
            "program_other_team": {"type": "checkboxes", "selected_options": [{"value": "yes"}]}
        },
        "program_sessions": {"program_sessions": pick("7")},
        "program_every": {"program_every": pick("4")},
        "program_minutes": {"program_minutes": pick("60")},
        "program_start": {"program_start": {"type": "datepicker", "selected_date": day}},
        "program_coaches": {"program_coaches": {"type": "multi_users_select", "selected_users": [COACH]}},
        "program_capacity": {"program_capacity": pick("1")},
    }


def count(engine, model):
    with engine.connect() as c:
        return c.scalar(select(func.count()).select_from(model))


def open_modal_via(h, user_id, run):
    before = len(h.fake.modals_for(user_id))
    run()
    return h.fake.wait_for(lambda: h.fake.modals_for(user_id)[before:])[-1]


def published_program(h, engine):
    """A program, five people added from CSV text, published: two pairs and one mentor left free."""
    for uid in [*MENTORS, *MENTEES]:
        h.fake.add_user(uid, uid.lower(), real_name=uid, tz="Europe/London")
    modal = open_modal_via(h, ADMIN, lambda: h.command(ADMIN, "program new"))
    day = (h.clock.now() + timedelta(days=14)).date().isoformat()
    assert h.sender.submit(ADMIN, view=modal, values=program_values(day)).status == 200
    h.wait_idle()
    rows = [f"{u},mentor,{t},1,chess" for u, t in MENTORS.items()]
    rows += [f"{u},mentee,{t},5,chess" for u, t in MENTEES.items()]
    add = open_modal_via(h, ADMIN, lambda: h.command(ADMIN, f"program add {NAME}"))
    csv = {"program_csv": {"program_csv": text("\n".join(rows))}}
    assert h.sender.submit(ADMIN, view=add, values=csv).status == 200
    h.wait_idle()
    assert "2 pairs introduced" in said(h.answer(ADMIN, f"program publish {NAME}"))
    h.wait_idle()
    with engine.connect() as c:
        pairs = c.execute(select(ProgramPair.id, ProgramPair.mentor_id, ProgramPair.mentee_id)).all()
    return {mentee: (pid, mentor) for pid, mentor, mentee in pairs}


def end_button(h, mentor, mentee):
    intro = h.fake.messages_in(h.fake.dm_channel_for(mentor, mentee))[-1]
    return button(intro["blocks"], "program_end")


def admin_notes(h):
    return [m for m in h.fake.dms_to(ADMIN) if "without blame" in m.get("text", "")]


def test_an_ending_without_blame_and_a_one_click_rematch(harness, engine):
    h = harness
    pairs = published_program(h, engine)
    mentee = "UEA0001"
    _, mentor = pairs[mentee]
    free = next(u for u in MENTORS if u not in {m for _, m in pairs.values()})
    end = end_button(h, mentor, mentee)

    assert "Only the two people" in said(h.click(ASKER, "program_end", end["value"]))
    assert not h.fake.modals_for(ASKER)

    modal = open_modal_via(h, mentee, lambda: h.sender.action(mentee, "program_end", end["value"]))
    assert modal["callback_id"] == "program_end"
    assert "only the admin reads this" in str(modal["blocks"])
    values = {"program_end_reason": {"program_end_reason": text(REASON)}}
    assert h.sender.submit(mentee, view=modal, values=values).status == 200
    h.wait_idle()
    assert count(engine, ProgramEnding) == 1

    told = h.fake.dms_to(mentor)[-1]
    assert "has ended" in told["text"] and "nobody's fault" in told["text"]
    coach = h.fake.dms_to(COACH)[-1]["text"]
    assert f"<@{mentor}> and <@{mentee}> has ended" in coach
    assert "has ended" in h.fake.dms_to(mentee)[-1]["text"]  # the one who ended it: a thank-you
    note = admin_notes(h)[-1]
    shown = text_of(note["blocks"])
    assert REASON in shown and f"<@{mentee}> ended the pairing" in shown
    # Only the admin reads the reason: not the partner, not the coach, nowhere in a channel.
    everywhere = [m for m in h.fake.all_messages() if m.get("ts") != note.get("ts")]
    assert not [m for m in everywhere if REASON in str(m)]
    repairs = [b for b in buttons(note["blocks"]) if b["action_id"].startswith("program_repair")]
    offered = [b["value"] for b in repairs]
    # The mentee is offered the one free mentor; never their own past mentor, never a busy one.
    assert len(offered) == 1 and free in offered[0] and mentee in offered[0] and mentor not in offered[0]

    # Late and second clicks: a friendly word, no second effect.
    assert "already ended" in said(h.click(mentor, "program_end", end["value"]))
    assert "already ended" in said(h.click(mentee, "program_end", end["value"]))
    again = h.sender.submit(mentee, view=modal, values=values).json()
    assert again["response_action"] == "errors" and "already ended" in again["errors"]["program_end_reason"]
    h.wait_idle()
    assert count(engine, ProgramEnding) == 1 and len(admin_notes(h)) == 1

    repair = repairs[0]
    assert "Only Mentorbot admins" in said(h.click(ASKER, repair["action_id"], repair["value"]))
    done = said(h.click(ADMIN, repair["action_id"], repair["value"]))
    assert f"<@{free}> mentors <@{mentee}>" in done
    h.wait_idle()
    intro = h.fake.messages_in(h.fake.dm_channel_for(free, mentee))
    assert len(intro) == 1 and "Meet your" in intro[0]["text"]
    assert "already re-paired" in said(h.click(ADMIN, repair["action_id"], repair["value"]))
    h.wait_idle()
    assert count(engine, ProgramPair) == 3
    assert len(h.fake.messages_in(h.fake.dm_channel_for(free, mentee))) == 1
    assert "1 ended without blame, 1 re-matched" in said(h.answer(ADMIN, "programs"))

    # The new pair ends too (no reason): both past partners are excluded, so nobody fits.
    second = button(intro[0]["blocks"], "program_end")
    modal = open_modal_via(h, free, lambda: h.sender.action(free, "program_end", second["value"]))
    assert h.sender.submit(free, view=modal, values={}).status == 200
    h.wait_idle()
    last = text_of(admin_notes(h)[-1]["blocks"])
    assert "No reason given" in last and "Nobody free fits" in last
    assert "2 ended without blame, 1 re-matched" in said(h.answer(ADMIN, "programs"))
    assert not [m for m in h.fake.all_messages() if str(m.get("channel", "")).startswith("C")]


def test_a_forged_or_stale_end_button_is_refused_kindly(harness, engine):
    h = harness
    published_program(h, engine)
    assert "doesn't carry what I expected" in said(h.click("UEA0001", "program_end", "pp0"))
    assert "no longer exists" in said(h.click("UEA0001", "program_end", "pp99999"))
    assert "doesn't carry what I expected" in said(h.click(ADMIN, "program_repair_0", '{"p":1}'))
    h.wait_idle()
    assert count(engine, ProgramEnding) == 0
