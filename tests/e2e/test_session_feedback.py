"""After a hosted session, through signed requests and the scheduler's sweep with the test's clock: each
seat holder is asked once at its end (the host isn't); each answer is kept once (a second click says so
and changes nothing); the host hears the average only after the third rating, once; `/mentor stats` and
the CSV export show the figures per format, aggregates only."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from e2e_support import ADMIN, ASKER, MENTOR, OTHER, button, buttons, text_of
from sqlalchemy import select
from test_hosted_sessions import BERLIN, COMMAND_CHANNEL, form, open_host

from app.db.models import HostedSession, SessionFeedback
from app.slack.payloads import SessionRef

SEATED = (ASKER, OTHER, ADMIN)


def questions(h, user_id):
    return [m for m in h.fake.dms_to(user_id) if "How was “Office hours: careers”" in (m.get("text") or "")]


def host_dms(h):
    return [m for m in h.fake.dms_to(MENTOR) if "on average" in (m.get("text") or "")]


def sweep_at(h, instant):
    h.clock.set(instant)
    asked = h.bot.services.session_feedback.ask_due()
    h.wait_idle()
    return asked


def held_session(h, engine):
    """Mia hosts a 3-seat group session three days ahead; Ash, Omar and Ada take the seats."""
    h.fake.add_channel(COMMAND_CHANNEL, members=[MENTOR, *SEATED], name="general")
    h.answer(MENTOR, "join #python")
    modal = open_host(h, MENTOR)
    day = (h.clock.now().astimezone(BERLIN) + timedelta(days=3)).date().isoformat()
    assert h.sender.submit(MENTOR, view=modal, values=form(day, seats="3")).status == 200
    h.wait_idle()
    for user_id in SEATED:
        join = button(h.answer(user_id, "sessions").blocks, "join_session")
        assert "You have a seat" in text_of(h.click(user_id, "join_session", join["value"]).blocks)
    with engine.connect() as c:
        row = c.execute(select(HostedSession.id, HostedSession.start_at, HostedSession.minutes)).one()
    return row.id, row.start_at + timedelta(minutes=row.minutes)


def click_answer(h, user_id, choice):
    (question,) = questions(h, user_id)
    action_id = f"session_answer_{choice}"
    value = button(question["blocks"], action_id)["value"]
    return h.click(user_id, action_id, value, message=question)


def test_each_seat_holder_is_asked_once_at_the_end_and_the_host_sees_the_average_after_three(harness, engine):
    h = harness
    session_id, end = held_session(h, engine)
    assert sweep_at(h, end - timedelta(minutes=1)) == 0  # not before the end
    assert not any(questions(h, u) for u in SEATED)
    assert sweep_at(h, end + timedelta(minutes=1)) == 3
    assert sweep_at(h, end + timedelta(minutes=10)) == 0  # claimed: asked once
    for user_id in SEATED:
        (question,) = questions(h, user_id)
        ids = {b["action_id"] for b in buttons(question["blocks"])}
        assert {"session_answer_attended_yes", "session_answer_rating_5", "session_answer_got_partly"} <= ids
    assert not questions(h, MENTOR)  # the host isn't asked about their own session

    first = click_answer(h, ASKER, "attended_yes")
    assert "Thanks! For “Office hours: careers” I've noted: attended" in first.text
    again = click_answer(h, ASKER, "attended_no")  # a second answer to the same question
    assert "Already noted" in again.text and "Nothing changed" in again.text
    assert "Thanks!" in click_answer(h, ASKER, "got_partly").text

    for user_id, stars in ((ASKER, 5), (OTHER, 4)):
        assert "Thanks!" in click_answer(h, user_id, f"rating_{stars}").text
    h.wait_idle()
    assert not host_dms(h)  # two ratings: the host sees nothing yet
    click_answer(h, ADMIN, "rating_3")
    h.wait_idle()
    (told,) = host_dms(h)
    assert "rated 4.0 / 5 on average by 3 people" in told["text"]
    assert "Already noted" in click_answer(h, ADMIN, "rating_1").text
    click_answer(h, OTHER, "attended_no")
    h.wait_idle()
    assert len(host_dms(h)) == 1  # once

    with engine.connect() as c:
        rows = {
            r.user_id: (r.attended, r.rating, r.got_it)
            for r in c.execute(select(SessionFeedback).where(SessionFeedback.session_id == session_id))
        }
    assert rows == {ASKER: (True, 5, "partly"), OTHER: (False, 4, None), ADMIN: (None, 3, None)}

    # The host (no seat) can't answer; nothing is stored for them.
    (question,) = questions(h, ASKER)
    value = button(question["blocks"], "session_answer_rating_1")["value"]
    refused = h.click(MENTOR, "session_answer_rating_1", value, message=question)
    assert "Only the people who had a seat" in text_of(refused.blocks, refused.text)

    # Admins: per format, aggregates only.
    stats = h.answer(ADMIN, "stats 30d")
    shown = text_of(stats.blocks, stats.text)
    assert "Group mentoring: 1 held · seats filled 100% · attendance 50% · rating 4.0 / 5 (3)" in shown
    assert "Coworking: 0 held" in shown and "1:1: 0 held" in shown
    before = set(h.fake.files)
    assert "sent the CSV" in h.answer(ADMIN, "export").text
    (new,) = h.fake.wait_for(
        lambda: [f for f in h.fake.files if f not in before and h.fake.files[f].get("content")]
    )
    content = h.fake.files[new]["content"]
    rows_out = list(csv.reader(io.StringIO(content.decode() if isinstance(content, bytes) else content)))
    header = rows_out[0]
    group = next(r for r in rows_out if r[:2] == ["format", "Group mentoring"])
    figures = dict(zip(header, group, strict=True))
    assert (figures["sessions_held"], figures["seats_filled_share"], figures["attendance_share"]) == (
        "1",
        "1.00",
        "0.50",
    )
    assert figures["average_rating"] == "4.00" and figures["people"] == ""


def test_a_cancelled_session_asks_nobody(harness, engine):
    h = harness
    session_id, end = held_session(h, engine)
    called_off = h.click(MENTOR, "cancel_session", SessionRef(session_id).encode())
    assert "cancelled" in text_of(called_off.blocks, called_off.text).lower()
    assert sweep_at(h, end + timedelta(minutes=1)) == 0
    assert not any(questions(h, u) for u in SEATED)


def test_an_erased_seat_holder_s_answers_stay_in_the_counts_without_their_id(harness, engine):
    h = harness
    session_id, end = held_session(h, engine)
    sweep_at(h, end + timedelta(minutes=1))
    click_answer(h, ASKER, "rating_2")
    h.click(ASKER, "forget_confirm", "forget")
    h.wait_idle()
    with engine.connect() as c:
        (row,) = c.execute(
            select(SessionFeedback.user_id, SessionFeedback.rating).where(
                SessionFeedback.session_id == session_id, SessionFeedback.rating.is_not(None)
            )
        ).all()
    assert row.rating == 2 and row.user_id != ASKER
    shown = text_of(*(lambda a: (a.blocks, a.text))(h.answer(ADMIN, "stats 30d")))
    assert "rating 2.0 / 5 (1)" in shown
