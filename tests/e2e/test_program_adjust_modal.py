"""A program's preview adjusted in a modal (#13): opened from the preview (and the App Home), one lock,
split or exclusion per submission, answered in the modal; field errors for what can't be done, and a
second or stale submission says so and changes nothing. Signed requests, both databases."""

from __future__ import annotations

from e2e_support import ADMIN, ASKER, MENTOR, OTHER, buttons, text_of
from program_steps import application_values, apply_from_dm, create_program, open_modal_via, said
from sqlalchemy import func, select

from app.db.models import ProgramAdjustment

MENTOR2 = "UMENTOR02"
MENTEE2 = "UMENTEE02"
NAME = "Reverse 2031"


def who(uid):
    return {"type": "users_select", "selected_user": uid}


def change(what, mentor=None, mentee=None, person=None):
    return {
        "program_adjust_what": {
            "program_adjust_what": {"type": "radio_buttons", "selected_option": what and {"value": what}}
        },
        "program_adjust_mentor": {"program_adjust_mentor": who(mentor)},
        "program_adjust_mentee": {"program_adjust_mentee": who(mentee)},
        "program_adjust_person": {"program_adjust_person": who(person)},
    }


def adjustments(engine):
    with engine.connect() as c:
        return c.scalar(select(func.count()).select_from(ProgramAdjustment))


def cohort(h):
    h.fake.add_user(MENTOR2, "max", real_name="Max Mentor", tz="Europe/London")
    h.fake.add_user(MENTEE2, "eve", real_name="Eve Exec", tz="Europe/Paris")
    create_program(h, ADMIN, NAME, OTHER)
    h.answer(ADMIN, f"program invite {NAME} <@{MENTOR}> <@{MENTOR2}> <@{ASKER}> <@{MENTEE2}>")
    h.wait_idle()
    apply_from_dm(h, MENTOR, application_values("mentor", "eng", "1", "chess"))
    apply_from_dm(h, MENTOR2, application_values("mentor", "ops", "2", "go"))
    apply_from_dm(h, MENTEE2, application_values("mentee", "eng", "5", "chess"))
    apply_from_dm(h, ASKER, application_values("mentee", "sales", "5", "chess"))
    h.wait_idle()


def test_lock_split_and_exclude_in_the_modal(harness, engine):
    h = harness
    cohort(h)
    shown = h.answer(ADMIN, f"program preview {NAME}")
    form = next(b for b in buttons(shown.blocks) if b["action_id"] == "program_adjust_form")
    modal = open_modal_via(h, ADMIN, lambda: h.sender.action(ADMIN, form["action_id"], form["value"]))
    assert modal["callback_id"] == "program_adjust_view"
    assert f"<@{MENTOR}> → <@{ASKER}>" in text_of(modal["blocks"])  # the preview, with why
    assert "h a week in both working days" in text_of(modal["blocks"])

    def submit(values, view=modal, user=ADMIN):
        reply = h.sender.submit(user, view=view, values=values)
        assert reply.status == 200
        return reply.json()

    assert submit(change(None))["errors"] == {"program_adjust_what": "Pick a change."}
    missing = submit(change("lock", mentor=MENTOR2))["errors"]
    assert "mentee of the pair to lock" in missing["program_adjust_mentee"]
    assert "person to exclude" in submit(change("exclude"))["errors"]["program_adjust_person"]
    same_team = submit(change("lock", MENTOR, MENTEE2))
    assert "same team" in same_team["errors"]["program_adjust_mentee"]
    stranger = submit(change("exclude", person=OTHER))
    assert "has not applied" in stranger["errors"]["program_adjust_person"]
    assert adjustments(engine) == 0

    locked = submit(change("lock", MENTOR2, ASKER))
    assert locked["response_action"] == "update"
    words = text_of(locked["view"]["blocks"])
    assert f"Locked <@{MENTOR2}> → <@{ASKER}>" in words and f"<@{MENTOR2}> → <@{ASKER}> (locked)" in words
    again = submit(change("lock", MENTOR2, ASKER))  # the same modal submitted twice
    assert "Nothing changed: that was already done." in text_of(again["view"]["blocks"])
    assert adjustments(engine) == 1

    split = submit(change("split", MENTOR2, ASKER), view=locked["view"])
    assert f"Split <@{MENTOR2}> → <@{ASKER}>" in text_of(split["view"]["blocks"])
    assert "(locked)" not in text_of(split["view"]["blocks"])  # a split replaces the lock
    excluded = submit(change("exclude", person=MENTOR), view=split["view"])
    assert f"unmatched mentor <@{MENTOR}>: excluded by an admin" in text_of(excluded["view"]["blocks"])
    assert adjustments(engine) == 2
    assert (
        "Only Mentorbot admins"
        in submit(change("exclude", person=MENTOR2), user=ASKER)["errors"]["program_adjust_what"]
    )

    # The ephemeral's buttons still work; a second click says nothing changed.
    lock = next(b for b in buttons(shown.blocks) if '"a":"lock"' in b["value"] and MENTOR in b["value"])
    first = said(h.click(ADMIN, lock["action_id"], lock["value"]))
    assert "Nothing changed" not in first
    assert "Nothing changed: that was already done." in said(h.click(ADMIN, lock["action_id"], lock["value"]))


def test_a_stale_modal_after_publishing_or_a_new_wave_changes_nothing(harness, engine):
    h = harness
    cohort(h)
    shown = h.answer(ADMIN, f"program preview {NAME}")
    form = next(b for b in buttons(shown.blocks) if b["action_id"] == "program_adjust_form")
    modal = open_modal_via(h, ADMIN, lambda: h.sender.action(ADMIN, form["action_id"], form["value"]))
    assert "introduced in group DMs" in said(h.answer(ADMIN, f"program publish {NAME}"))
    late = h.sender.submit(ADMIN, view=modal, values=change("exclude", person=MENTOR)).json()
    assert "is published: its pairs no longer change" in late["errors"]["program_adjust_what"]
    assert "Wave 2" in said(h.answer(ADMIN, f"program wave {NAME}"))
    stale = h.sender.submit(ADMIN, view=modal, values=change("exclude", person=MENTOR)).json()
    assert "This was for wave 1" in stale["errors"]["program_adjust_what"]
    assert "wave 2 is open now" in stale["errors"]["program_adjust_what"]
    lock = next(b for b in buttons(shown.blocks) if '"a":"lock"' in b["value"])  # wave 1's ephemeral
    assert "This was for wave 1" in said(h.click(ADMIN, lock["action_id"], lock["value"]))
    assert adjustments(engine) == 0
    broken = dict(modal, private_metadata="{}")
    gone = h.sender.submit(ADMIN, view=broken, values=change("exclude", person=MENTOR)).json()
    assert "out of date" in gone["errors"]["program_adjust_what"]
