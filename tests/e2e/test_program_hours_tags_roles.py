"""Programs read people's own working hours and zones, take interests as tags, and let each person
apply only in a role the program's kind leaves their level (#13), through signed requests."""

from __future__ import annotations

from e2e_support import ADMIN, ASKER, MENTOR, OTHER
from program_steps import (
    application_modal,
    application_values,
    apply_from_dm,
    create_program,
    open_modal_via,
    said,
)
from sqlalchemy import select

from app.db.models import ProgramApplication

TOKYO_MENTOR = "UTOKYO001"
NAME = "Reverse hours"


def set_hours(h, user_id, hours):
    modal = open_modal_via(h, user_id, lambda: h.command(user_id, "about"))
    values = {
        "hours": {"hours_input": {"type": "plain_text_input", "value": hours}},
        "team": {"team_input": {"type": "plain_text_input", "value": ""}},
        "level": {"level_input": {"type": "static_select", "selected_option": None}},
    }
    assert h.sender.submit(user_id, view=modal, values=values).status == 200
    h.wait_idle()


def test_matching_uses_stored_hours_and_interest_tags(harness, engine):
    h = harness
    h.fake.add_user(TOKYO_MENTOR, "kenji", real_name="Kenji Mentor", tz="Asia/Tokyo")
    create_program(h, ADMIN, NAME, OTHER)
    h.answer(ADMIN, f"program invite {NAME} <@{MENTOR}> <@{TOKYO_MENTOR}> <@{ASKER}>")
    h.wait_idle()
    # Mia (Berlin) and Kenji (Tokyo) keep the default 09-17; Ash in New York works evenings, 19-23 her
    # time, which is 00-04 UTC the next day in winter: Tokyo's 09-13 on Tuesday to Friday (16 h a week).
    # On an assumed 09-17 Berlin would have won.
    set_hours(h, ASKER, "Mon-Fri 19:00-23:00")
    apply_from_dm(h, MENTOR, application_values("mentor", "eng", "1", "#Chess #Rowing"))
    apply_from_dm(h, TOKYO_MENTOR, application_values("mentor", "ops", "1", "chess"))
    apply_from_dm(h, ASKER, application_values("mentee", "sales", "5", " CHESS ;  go,chess"))
    h.wait_idle()
    thanks = [m for m in h.fake.dms_to(ASKER) if "applied" in m.get("text", "")][-1]["text"]
    assert "Your interests: `chess` `go`" in thanks
    with engine.connect() as c:
        stored = dict(c.execute(select(ProgramApplication.user_id, ProgramApplication.interests)).all())
    assert stored[ASKER] == "chess,go" and stored[MENTOR] == "chess,rowing"

    shown = said(h.answer(ADMIN, f"program preview {NAME}"))
    assert f"<@{TOKYO_MENTOR}> → <@{ASKER}>" in shown, shown
    assert "shared: `chess`" in shown and "16 h a week in both working days" in shown
    assert f"unmatched mentor <@{MENTOR}>" in shown

    # Ash moves her hours to Berlin's afternoon (08-11 New York is 13-16 UTC): the same preview now
    # pairs her with Mia.
    set_hours(h, ASKER, "Mon-Fri 08:00-11:00")
    again = said(h.answer(ADMIN, f"program preview {NAME}"))
    assert f"<@{MENTOR}> → <@{ASKER}>" in again and "shared: `chess`" in again
    assert "15 h a week" in again


def test_the_role_follows_the_programs_kind_with_a_field_error(harness, engine):
    h = harness
    create_program(h, ADMIN, NAME, OTHER)
    h.answer(ADMIN, f"program invite {NAME} <@{ASKER}> <@{MENTOR}>")
    h.wait_idle()
    _, modal = application_modal(h, ASKER)
    role = next(b for b in modal["blocks"] if b.get("block_id") == "program_role")
    labels = [o["text"]["text"] for o in role["element"]["options"]]
    assert labels == ["Mentor: 2+ levels below your mentee", "Mentee: 2+ levels above your mentor"]
    assert "Reverse" in role["hint"]["text"]

    refused = h.sender.submit(ASKER, view=modal, values=application_values("mentor", "sales", "5")).json()
    assert refused["response_action"] == "errors"
    assert "a mentor is 2+ levels below their mentee" in refused["errors"]["program_role"]
    assert "Apply as a mentee" in refused["errors"]["program_role"]
    too_long = application_values("mentee", "sales", "5", "a" * 31)
    refused = h.sender.submit(ASKER, view=modal, values=too_long).json()
    assert "longer than 30" in refused["errors"]["program_interests"]
    with engine.connect() as c:
        assert c.execute(select(ProgramApplication.id)).first() is None
    ok = h.sender.submit(ASKER, view=modal, values=application_values("mentee", "sales", "5"))
    assert ok.status == 200 and not ok.body

    # A CSV row whose role the kind rules out is reported and skipped.
    add = open_modal_via(h, ADMIN, lambda: h.command(ADMIN, f"program add {NAME}"))
    rows = {"program_csv": {"program_csv": {"type": "plain_text_input", "value": f"{MENTOR},mentor,eng,5,"}}}
    assert h.sender.submit(ADMIN, view=add, values=rows).status == 200
    h.wait_idle()
    report = [m for m in h.fake.dms_to(ADMIN) if "applicant" in m.get("text", "")][-1]["text"]
    assert "Added 0" in report and "levels below their mentee" in report
