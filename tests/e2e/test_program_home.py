"""Programs on the App Home (#13): an invitee sees the invitation with Apply, then where the application
stands; a participant sees their program, partner and next session, and other participants only when
they agreed to their name being shown; an admin sees each program's figures per wave with Preview.
Signed requests and events, both databases."""

from __future__ import annotations

from datetime import timedelta

from e2e_support import ADMIN, ASKER, MENTOR, OTHER, buttons, text_of
from program_steps import application_modal, application_values, apply_from_dm, create_program, said
from slack_requests import app_home_opened_event

MENTOR2 = "UMENTOR02"
MENTEE2 = "UMENTEE02"
NAME = "Reverse on the Home"


def home(h, user_id):
    before = len(h.fake.calls_to("views.publish"))
    h.sender.event(app_home_opened_event(user_id))
    h.fake.wait_for(lambda: len(h.fake.calls_to("views.publish")) > before)
    return h.fake.home_view(user_id)


def click_on_home(h, user_id, view, action_id, value):
    before = len(h.fake.modals_for(user_id))
    assert h.sender.action(user_id, action_id, value, view=view).status == 200
    return h.fake.wait_for(lambda: h.fake.modals_for(user_id)[before:])[-1]


def home_button(view, action_id):
    return next(b for b in buttons(view["blocks"]) if b["action_id"] == action_id)


def consenting(values):
    values["program_consent"] = {
        "program_consent": {"type": "checkboxes", "selected_options": [{"value": "yes"}]}
    }
    return values


def test_invitee_participant_and_admin_see_programs_on_their_home(harness, engine):
    h = harness
    h.fake.add_user(MENTOR2, "max", real_name="Max Mentor", tz="Europe/London")
    h.fake.add_user(MENTEE2, "eve", real_name="Eve Exec", tz="Europe/Paris")
    assert "Mentoring programs" not in text_of(home(h, ASKER)["blocks"])  # nothing before any program
    home(h, OTHER)
    create_program(h, ADMIN, NAME, OTHER)
    h.answer(ADMIN, f"program invite {NAME} <@{MENTOR}> <@{MENTOR2}> <@{ASKER}> <@{MENTEE2}>")
    h.wait_idle()  # Ash had opened her Home: it is refreshed with the invitation

    invited = h.fake.home_view(ASKER)
    words = text_of(invited["blocks"])
    assert f"You're invited to *{NAME}*" in words and "closest to the work" in words
    apply = home_button(invited, "program_home_apply")
    modal = click_on_home(h, ASKER, invited, "program_home_apply", apply["value"])
    assert modal["callback_id"] == "program_apply"
    assert h.sender.submit(ASKER, view=modal, values=application_values("mentee", "sales", "5")).status == 200
    h.wait_idle()
    applied = text_of(h.fake.home_view(ASKER)["blocks"])
    assert f"You've applied to *{NAME}* (wave 1) as a mentee" in applied and "You're invited" not in applied
    # The stale Home's Apply, clicked again, says why in a small modal; nothing is stored twice.
    again = click_on_home(h, ASKER, invited, "program_home_apply", apply["value"])
    assert "already applied" in text_of(again["blocks"])

    apply_from_dm(h, MENTOR, application_values("mentor", "eng", "1"))
    apply_from_dm(h, MENTOR2, consenting(application_values("mentor", "ops", "2")))
    apply_from_dm(h, MENTEE2, application_values("mentee", "eng", "5"))
    h.wait_idle()

    admin = home(h, ADMIN)
    words = text_of(admin["blocks"])
    assert "Programs you run" in words and "wave 1: 4 applied, 0 matched (not published)" in words
    preview = home_button(admin, "program_adjust_form")
    modal = click_on_home(h, ADMIN, admin, "program_adjust_form", preview["value"])
    assert modal["callback_id"] == "program_adjust_view"
    assert f"<@{MENTOR}> → <@{ASKER}>" in text_of(modal["blocks"])
    assert "program_adjust_form" not in str(home(h, ASKER)["blocks"])  # Preview is for admins only
    assert "Programs you run" not in text_of(home(h, OTHER)["blocks"])

    assert "introduced" in said(h.answer(ADMIN, f"program publish {NAME}"))
    h.wait_idle()
    mine = text_of(h.fake.home_view(ASKER)["blocks"])  # refreshed on publishing
    assert f"*{NAME}*: <@{MENTOR}> mentors you." in mine
    assert "I'll propose times when it comes due" in mine
    assert f"they chose to show their name): <@{MENTOR2}>" in mine and f"<@{MENTEE2}>" not in mine
    assert "You've applied" not in mine
    assert "wave 1: 4 applied, 4 matched" in text_of(home(h, ADMIN)["blocks"])

    programs = h.bot.services.programs
    h.clock.advance(timedelta(days=14, hours=1))
    assert programs.propose_due_sessions() == 2
    h.wait_idle()
    proposed = text_of(home(h, ASKER)["blocks"])
    assert "times are proposed in your group DM, pick one" in proposed
    assert "your mentee picks one" in text_of(home(h, MENTOR)["blocks"])
    group = h.fake.dm_channel_for(MENTOR, ASKER)
    offer = [m for m in h.fake.messages_in(group) if "program_pick" in str(m.get("blocks"))][-1]
    pick = next(b for b in buttons(offer["blocks"]) if b["action_id"].startswith("program_pick"))
    h.click(ASKER, pick["action_id"], pick["value"])
    h.wait_idle()
    ask = h.fake.wait_for(lambda: [m for m in h.fake.dms_to(MENTOR) if "Confirm it" in m.get("text", "")])[-1]
    confirm = next(b for b in buttons(ask["blocks"]) if b["action_id"] == "program_confirm")
    assert "Confirmed" in said(h.click(MENTOR, "program_confirm", confirm["value"]))
    h.wait_idle()
    booked = text_of(home(h, MENTOR)["blocks"])
    assert f"You mentor <@{ASKER}>." in booked and "Next session: " in booked and "CET" in booked


def test_an_invitation_leaves_the_home_once_the_program_starts(harness, engine):
    h = harness
    home(h, ASKER)
    create_program(h, ADMIN, NAME, OTHER, days=3)
    h.answer(ADMIN, f"program invite {NAME} <@{ASKER}>")
    h.wait_idle()
    assert "You're invited" in text_of(h.fake.home_view(ASKER)["blocks"])
    _, modal = application_modal(h, ASKER)  # opened before the start, sent after it
    h.clock.advance(timedelta(days=4))
    assert "Mentoring programs" not in text_of(home(h, ASKER)["blocks"])
    late = h.sender.submit(ASKER, view=modal, values=application_values("mentee", "sales", "5")).json()
    assert "has started" in late["errors"]["program_role"]
