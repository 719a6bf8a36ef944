"""Mentoring programs through signed requests (#13): an admin creates a program in its modal, invites
people, they apply through the DM's Apply and the application modal, the admin previews, locks and
excludes, publishes: group DMs for pairs and a private brief for the coach, nothing in a channel.
Each refusal is a clear private answer and changes nothing."""

from __future__ import annotations

from datetime import timedelta

from e2e_support import ADMIN, ASKER, MENTOR, OTHER, button, buttons, text_of
from sqlalchemy import func, select

from app.db.models import Program, ProgramApplication, ProgramPair

CHANNEL = "C1"
MENTOR2 = "UMENTOR02"
MENTEE2 = "UMENTEE02"
NAME = "Reverse 2027"


def said(reply):
    return text_of(reply.blocks, reply.text)


def pick(value):
    return {"type": "static_select", "selected_option": {"value": value}}


def text(value):
    return {"type": "plain_text_input", "value": value}


def new_program_values(day: str, coach: str):
    return {
        "program_name": {"program_name": text(NAME)},
        "program_purpose": {"program_purpose": text("Leaders learn from the people closest to the work.")},
        "program_kind": {"program_kind": pick("reverse")},
        "program_gap": {"program_gap": pick("2")},
        "program_other_team": {
            "program_other_team": {"type": "checkboxes", "selected_options": [{"value": "yes"}]}
        },
        "program_sessions": {"program_sessions": pick("7")},
        "program_every": {"program_every": pick("4")},
        "program_minutes": {"program_minutes": pick("60")},
        "program_start": {"program_start": {"type": "datepicker", "selected_date": day}},
        "program_coaches": {"program_coaches": {"type": "multi_users_select", "selected_users": [coach]}},
        "program_capacity": {"program_capacity": pick("1")},
    }


def application_values(role: str, team: str, level: str, interests: str, intro: str):
    return {
        "program_role": {"program_role": pick(role)},
        "program_team": {"program_team": text(team)},
        "program_level": {"program_level": pick(level)},
        "program_interests": {"program_interests": text(interests)},
        "program_goals": {"program_goals": text("to learn how the floor sees us")},
        "program_intro": {"program_intro": text(intro)},
        "program_consent": {"program_consent": {"type": "checkboxes", "selected_options": []}},
    }


def count(engine, model):
    with engine.connect() as c:
        return c.scalar(select(func.count()).select_from(model))


def open_modal_via(h, user_id, run):
    before = len(h.fake.modals_for(user_id))
    run()
    return h.fake.wait_for(lambda: h.fake.modals_for(user_id)[before:])[-1]


def apply_from_dm(h, user_id, values):
    invite = h.fake.wait_for(lambda: h.fake.dms_to(user_id))[-1]
    apply = button(invite["blocks"], "program_apply")
    modal = open_modal_via(h, user_id, lambda: h.sender.action(user_id, "program_apply", apply["value"]))
    assert modal["callback_id"] == "program_apply"
    reply = h.sender.submit(user_id, view=modal, values=values)
    assert reply.status == 200
    return apply, modal, reply


def test_create_invite_apply_preview_adjust_publish(harness, engine):
    h = harness
    h.fake.add_channel(CHANNEL, members=[ADMIN, MENTOR, ASKER, OTHER], name="general")
    h.fake.add_user(MENTOR2, "max", real_name="Max Mentor", tz="Europe/London")
    h.fake.add_user(MENTEE2, "eve", real_name="Eve Exec", tz="Europe/Paris")

    assert "Only Mentorbot admins" in said(h.answer(ASKER, "program new"))
    assert "Only Mentorbot admins" in said(h.answer(ASKER, "programs"))
    assert "Only Mentorbot admins" in said(h.answer(ASKER, f"program preview {NAME}"))
    assert not h.fake.modals_for(ASKER)

    h.command(ADMIN, "program new")
    modal = h.fake.wait_for(lambda: h.fake.modals_for(ADMIN))[-1]
    assert modal["callback_id"] == "program_new"
    day = (h.clock.now() + timedelta(days=14)).date().isoformat()
    bad = new_program_values(day, OTHER)
    bad["program_minutes"] = {"program_minutes": pick("45")}
    refused = h.sender.submit(ADMIN, view=modal, values=bad).json()
    assert refused["response_action"] == "errors" and "30 or 60" in refused["errors"]["program_name"]
    assert count(engine, Program) == 0
    assert h.sender.submit(ADMIN, view=modal, values=new_program_values(day, OTHER)).status == 200
    h.wait_idle()
    assert count(engine, Program) == 1

    invited = h.answer(ADMIN, f"program invite {NAME} <@{MENTOR}|mia> <@{MENTOR2}> <@{ASKER}> <@{MENTEE2}>")
    assert "Invited 4 new people" in said(invited)
    h.wait_idle()
    first = h.fake.dms_to(ASKER)[-1]
    assert "Leaders learn from the people closest to the work." in text_of(first["blocks"])

    apply_from_dm(h, MENTOR, application_values("mentor", "eng", "1", "chess, climbing", "I build the app"))
    apply_from_dm(h, MENTOR2, application_values("mentor", "ops", "2", "go", "I run the servers"))
    apply_from_dm(h, MENTEE2, application_values("mentee", "eng", "5", "chess", "VP Eng"))
    level7 = application_values("mentee", "sales", "7", "chess", "I lead sales")
    apply, modal, reply = apply_from_dm(h, ASKER, level7)
    assert reply.json()["response_action"] == "errors" and "1 to 5" in reply.json()["errors"]["program_level"]
    ok = h.sender.submit(ASKER, view=modal, values=application_values("mentee", "sales", "5", "chess", "CRO"))
    assert ok.status == 200
    h.wait_idle()
    assert count(engine, ProgramApplication) == 4
    twice = h.click(ASKER, "program_apply", apply["value"])
    assert "already applied" in said(twice)
    assert count(engine, ProgramApplication) == 4

    shown = said(h.answer(ADMIN, f"program preview {NAME}"))
    # Mia (eng, 1) may only mentor Ash (sales, 5): Eve is in her team; Max (ops, 2) mentors Eve.
    assert f"<@{MENTOR}> → <@{ASKER}>" in shown and f"<@{MENTOR2}> → <@{MENTEE2}>" in shown
    assert "shared: `chess`" in shown and "level gap 4" in shown and "across teams 100%" in shown
    assert shown == said(h.answer(ADMIN, f"program preview {NAME}"))  # the stored seed: the same pairs

    refused_lock = said(h.answer(ADMIN, f"program lock {NAME} <@{MENTOR}> <@{MENTEE2}>"))
    assert "same team" in refused_lock
    locked = h.answer(ADMIN, f"program lock {NAME} <@{MENTOR2}> <@{ASKER}>")
    assert f"<@{MENTOR2}> → <@{ASKER}> (locked)" in said(locked)
    assert f"unmatched mentee <@{MENTEE2}>: every fitting mentor was matched with someone else" in said(
        locked
    )
    exclude = next(
        b
        for b in buttons(locked.blocks)
        if b["action_id"].startswith("program_adjust")
        and MENTOR in b["value"]
        and '"a":"exclude"' in b["value"]
    )
    excluded = said(h.click(ADMIN, exclude["action_id"], exclude["value"]))
    assert f"unmatched mentor <@{MENTOR}>: excluded by an admin" in excluded
    assert "Only Mentorbot admins" in said(h.click(ASKER, exclude["action_id"], exclude["value"]))
    again = next(b for b in buttons(locked.blocks) if b["text"]["text"] == "Preview again")
    assert said(h.click(ADMIN, again["action_id"], again["value"])) == excluded
    assert "doesn't carry what I expected" in said(h.click(ADMIN, again["action_id"], '{"p":"x"}'))

    done = said(h.answer(ADMIN, f"program publish {NAME}"))
    assert "1 pair introduced" in done and "1 coach" in done
    h.wait_idle()
    group = h.fake.messages_in(h.fake.dm_channel_for(MENTOR2, ASKER))
    intro = text_of(group[-1]["blocks"])
    assert "stays between you" in intro and "The mentor sets the agenda" in intro
    assert "Nobody does all the talking" in intro and "CRO" in intro and "I run the servers" in intro
    # What each wrote they hope to learn or can offer is shown to the partner, and only in the pair's DM.
    assert f"<@{ASKER}> hopes to learn or can offer:* to learn how the floor sees us" in intro
    assert all("how the floor sees us" not in m["text"] for m in h.fake.messages_in(CHANNEL))
    brief = text_of(h.fake.dms_to(OTHER)[-1]["blocks"])
    assert f"<@{MENTOR2}> mentors <@{ASKER}>" in brief
    assert h.fake.messages_in(CHANNEL) == []
    again = said(h.answer(ADMIN, f"program publish {NAME}"))
    assert "already published" in again
    h.wait_idle()
    assert len(h.fake.messages_in(h.fake.dm_channel_for(MENTOR2, ASKER))) == 1
    assert count(engine, ProgramPair) == 1
    listed = said(h.answer(ADMIN, "programs"))
    assert "wave 1: 4 applied, 2 matched" in listed

    wave = said(h.answer(ADMIN, f"program wave {NAME}"))
    assert "Wave 2" in wave
    assert "wave 2: 0 applied" in said(h.answer(ADMIN, "programs"))
    assert "nobody to match" in said(h.answer(ADMIN, f"program publish {NAME}"))


def test_no_application_once_the_program_started(harness, engine):
    h = harness
    h.command(ADMIN, "program new")
    modal = h.fake.wait_for(lambda: h.fake.modals_for(ADMIN))[-1]
    day = (h.clock.now() + timedelta(days=7)).date().isoformat()
    assert h.sender.submit(ADMIN, view=modal, values=new_program_values(day, OTHER)).status == 200
    h.wait_idle()
    h.answer(ADMIN, f"program invite {NAME} <@{ASKER}>")
    h.wait_idle()
    apply = button(h.fake.dms_to(ASKER)[-1]["blocks"], "program_apply")
    h.clock.advance(timedelta(days=8))
    late = h.click(ASKER, "program_apply", apply["value"])
    assert "has started" in said(late)
    assert count(engine, ProgramApplication) == 0
    assert "doesn't take anything" in h.command(ADMIN, "programs now").json()["text"]
    assert "Which program?" in h.command(ADMIN, "program preview").json()["text"]


def test_an_admin_adds_people_from_csv_text_and_unknown_people_are_skipped(harness, engine):
    h = harness
    h.command(ADMIN, "program new")
    modal = h.fake.wait_for(lambda: h.fake.modals_for(ADMIN))[-1]
    day = (h.clock.now() + timedelta(days=7)).date().isoformat()
    assert h.sender.submit(ADMIN, view=modal, values=new_program_values(day, OTHER)).status == 200
    h.wait_idle()
    assert "Only Mentorbot admins" in said(h.answer(ASKER, f"program add {NAME}"))
    add = open_modal_via(h, ADMIN, lambda: h.command(ADMIN, f"program add {NAME}"))
    assert add["callback_id"] == "program_add"
    rows = f"{MENTOR},mentor,eng,1,chess;go\nUNOBODY99,mentee,sales,5,chess\n{ASKER},mentee,sales,9,\n"
    values = {"program_csv": {"program_csv": text(rows)}}
    assert h.sender.submit(ADMIN, view=add, values=values).status == 200
    h.wait_idle()
    report = h.fake.wait_for(lambda: [m for m in h.fake.dms_to(ADMIN) if "applicant" in m.get("text", "")])
    words = report[-1]["text"]
    assert "Added 1 applicant" in words and "skipped 2" in words
    assert "UNOBODY99 is not in this workspace" in words and "from 1 to 5" in words
    with engine.connect() as c:
        assert c.execute(select(ProgramApplication.user_id)).scalars().all() == [MENTOR]
