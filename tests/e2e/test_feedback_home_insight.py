"""Feedback (notes, one reminder, "not a good fit"), the App Home, admin figures, and forget-me.

Driven as Slack drives them: signed commands, button clicks on messages and on the Home tab, modal
submissions; what the bot sends lands on the fake Slack.
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from e2e_support import ADMIN, ASKER, MENTOR, OTHER, button, buttons, slot_buttons, slot_of, text_of
from slack_requests import app_home_opened_event
from sqlalchemy import select, update

from app.db.models import Ask, Feedback, Meeting, Member, MentorProfile, Notice


def join(h, user_id=MENTOR, topics="#python"):
    h.answer(user_id, f"join {topics}")


def confirmed_meeting(h, asker=ASKER, mentor=MENTOR, goal="Learn pytest fixtures #python"):
    offers = h.answer(asker, f"ask {goal}")
    chosen = next(b for b in slot_buttons(offers.blocks) if slot_of(b)[1] == mentor)
    h.click(asker, chosen["action_id"], chosen["value"])
    h.deliver()
    request = h.fake.messages_in(h.fake.dm_channel_for(mentor))[-1]
    h.click(mentor, "accept_request", button(request["blocks"], "accept_request")["value"], message=request)
    h.deliver()
    return slot_of(chosen)[2]


def feedback_dms(h, start):
    h.clock.set(start + timedelta(minutes=16))
    h.bot.services.feedback.request_due_feedback()
    h.deliver()
    return (
        h.fake.messages_in(h.fake.dm_channel_for(ASKER))[-1],
        h.fake.messages_in(h.fake.dm_channel_for(MENTOR))[-1],
    )


def home(h, user_id):
    before = len(h.fake.calls_to("views.publish"))
    h.sender.event(app_home_opened_event(user_id))
    h.fake.wait_for(lambda: len(h.fake.calls_to("views.publish")) > before)
    return h.fake.home_view(user_id)


def click_on_home(h, user_id, action_id, value):
    view = h.fake.home_view(user_id)
    before = len(h.fake.calls_to("views.publish"))
    reply = h.sender.action(user_id, action_id, value, view=view)
    assert reply.status == 200
    h.fake.wait_for(lambda: len(h.fake.calls_to("views.publish")) > before)
    return h.fake.home_view(user_id)


# --- feedback -----------------------------------------------------------------------------------------


def test_private_note_is_saved_for_its_author_only(harness, engine):
    join(harness)
    start = confirmed_meeting(harness)
    asker_dm, _ = feedback_dms(harness, start)
    meeting_id = button(asker_dm["blocks"], "feedback_note")["value"]
    reply = harness.sender.action(ASKER, "feedback_note", meeting_id, message=asker_dm)
    assert reply.status == 200
    modal = harness.fake.wait_for(lambda: harness.fake.modals_for(ASKER))[-1]
    assert modal["callback_id"] == "feedback_note" and modal["private_metadata"] == meeting_id
    saved = harness.sender.submit(
        ASKER, view=modal, values={"note": {"note_input": "Ask about flaky tests next time"}}
    )
    assert saved.status == 200 and not saved.body.strip()
    harness.fake.wait_for(lambda: _note(engine, ASKER))
    assert _note(engine, ASKER) == "Ask about flaky tests next time"
    # The mentor can't write into the asker's note, and the note is in no message anyone got.
    assert all("flaky" not in str(m) for m in harness.fake.all_messages())


def _note(engine, user_id):
    with engine.connect() as connection:
        return connection.execute(
            select(Feedback.note).where(Feedback.user_id == user_id)
        ).scalar_one_or_none()


def test_one_reminder_after_two_days_never_more(harness, engine):
    join(harness)
    start = confirmed_meeting(harness)
    asker_dm, mentor_dm = feedback_dms(harness, start)
    harness.click(MENTOR, "rate_5", button(mentor_dm["blocks"], "rate_5")["value"], message=mentor_dm)
    services = harness.bot.services
    harness.clock.set(start + timedelta(days=1))
    assert services.feedback.send_reminders() == 0
    harness.clock.set(start + timedelta(days=2, minutes=20))
    assert services.feedback.send_reminders() == 1  # only the asker, who hasn't answered
    harness.deliver()
    harness.clock.set(start + timedelta(days=9))
    assert services.feedback.send_reminders() == 0
    reminder = harness.fake.messages_in(harness.fake.dm_channel_for(ASKER))[-1]
    assert reminder["ts"] != asker_dm["ts"] and "reminder, the only one" in reminder["text"]


def test_not_a_good_fit_offers_other_mentors_and_is_never_shown_to_the_mentor(harness, engine):
    join(harness)
    join(harness, user_id=OTHER)
    start = confirmed_meeting(harness)
    asker_dm, _ = feedback_dms(harness, start)
    answer = harness.click(
        ASKER, "not_a_good_fit", button(asker_dm["blocks"], "not_a_good_fit")["value"], message=asker_dm
    )
    text = text_of(answer.blocks, answer.text)
    assert "it stays between us" in text and answer.response_type == "ephemeral"
    assert {slot_of(b)[1] for b in slot_buttons(answer.blocks)} == {OTHER}
    with engine.connect() as connection:
        assert connection.execute(
            select(Feedback.not_a_good_fit).where(Feedback.user_id == ASKER)
        ).scalar_one()
        assert connection.execute(select(Ask.goal)).scalars().all() == ["Learn pytest fixtures"] * 2
    harness.deliver()
    assert all(
        "good fit" not in m["text"] for m in harness.fake.messages_in(harness.fake.dm_channel_for(MENTOR))
    )


# --- the App Home -------------------------------------------------------------------------------------


def test_home_coffee_buttons_and_the_ask_modal(harness):
    view = home(harness, ASKER)
    assert "Ask for a mentor" in text_of(view["blocks"]) and "Program health" not in text_of(view["blocks"])
    view = click_on_home(harness, ASKER, "coffee_join", "join")
    assert "You're *in* the coffee roulette" in text_of(view["blocks"])
    view = click_on_home(harness, ASKER, "coffee_pause", "14")
    assert "*paused*" in text_of(view["blocks"])

    join(harness)
    harness.sender.action(ASKER, "home_ask", "ask", view=view)
    modal = harness.fake.wait_for(lambda: harness.fake.modals_for(ASKER))[-1]
    assert modal["callback_id"] == "ask_modal"
    empty = harness.sender.submit(
        ASKER, view=modal, values={"goal": {"goal_input": "  "}, "ask_topics": {"ask_topics_input": ""}}
    )
    assert empty.json()["response_action"] == "errors" and "goal" in empty.json()["errors"]
    ok = harness.sender.submit(
        ASKER,
        view=modal,
        values={"goal": {"goal_input": "Grow as a reviewer"}, "ask_topics": {"ask_topics_input": "python"}},
    )
    assert ok.status == 200
    offers = harness.fake.wait_for(lambda: harness.fake.messages_in(harness.fake.dm_channel_for(ASKER)))[-1]
    assert "Grow as a reviewer" in text_of(offers["blocks"], offers["text"]) and slot_buttons(
        offers["blocks"]
    )


def test_mentor_answers_and_toggles_from_the_home(harness, engine):
    join(harness)
    offers = harness.answer(ASKER, "ask Review my first PR #python")
    chosen = slot_buttons(offers.blocks)[0]
    harness.click(ASKER, chosen["action_id"], chosen["value"])
    harness.deliver()
    view = home(harness, MENTOR)
    text = text_of(view["blocks"])
    assert "available for new requests" in text and "This week: 1 of 2 conversations" in text
    assert f"<@{ASKER}> asks for" in text
    meeting_id = button(view["blocks"], "accept_request")["value"]
    view = click_on_home(harness, MENTOR, "accept_request", meeting_id)
    assert f"<@{ASKER}> asks for" not in text_of(view["blocks"])
    assert "Review my first PR" in text_of(view["blocks"])  # now among the upcoming conversations
    harness.deliver()
    assert harness.fake.messages_in(harness.fake.dm_channel_for(ASKER, MENTOR))  # the group DM went out
    view = click_on_home(harness, MENTOR, "mentor_available", "off")
    assert "not taking new requests" in text_of(view["blocks"])
    with engine.connect() as connection:
        assert connection.execute(select(MentorProfile.available)).scalar_one() is False


def test_home_is_refreshed_when_someone_else_changes_it(harness):
    join(harness)
    home(harness, MENTOR)  # the mentor has opened their Home once
    offers = harness.answer(ASKER, "ask Pairing on a refactor #python")
    chosen = slot_buttons(offers.blocks)[0]
    before = len([c for c in harness.fake.calls_to("views.publish") if c.args.get("user_id") == MENTOR])
    harness.click(ASKER, chosen["action_id"], chosen["value"])
    harness.deliver()
    after = [c for c in harness.fake.calls_to("views.publish") if c.args.get("user_id") == MENTOR]
    assert len(after) > before
    assert "Pairing on a refactor" in text_of(harness.fake.home_view(MENTOR)["blocks"])
    assert not [
        c for c in harness.fake.calls_to("views.publish") if c.args.get("user_id") == ASKER
    ]  # never opened


def test_only_admins_see_the_dashboard(harness):
    assert "Program health" in text_of(home(harness, ADMIN)["blocks"])
    assert "Program health" not in text_of(home(harness, OTHER)["blocks"])


# --- figures ------------------------------------------------------------------------------------------


def test_stats_match_a_history_counted_by_hand(harness, engine):
    join(harness)  # MENTOR, #python
    # Held and rated: 4 and 2 stars; the asker's goal met once ("yes") and once "partly".
    for goal, rating, goal_met in (("First #python", 4, "yes"), ("Second #python", 2, "partly")):
        start = confirmed_meeting(harness, goal=goal)
        asker_dm, _ = feedback_dms(harness, start)
        meeting_id = button(asker_dm["blocks"], "rate_1")["value"]
        harness.click(ASKER, f"rate_{rating}", meeting_id, message=asker_dm)
        harness.click(ASKER, f"goal_met_{goal_met}", meeting_id, message=asker_dm)
    # No mentor offers #rust (five asks: shown by topic) or #elixir (one ask: too few, merged away).
    for i in range(5):
        harness.answer(OTHER, f"ask Rust question {i} #rust")
    harness.answer(OTHER, "ask Elixir question #elixir")
    # Unmet: nobody available at all.
    harness.answer(MENTOR, "available off")
    harness.answer(OTHER, "ask Anything at all #python")
    harness.clock.set(_latest_start(engine) + timedelta(hours=1))
    stats = harness.bot.services.insight.stats(_person(ADMIN), 30)
    assert (stats.asks_made, stats.asks_fulfilled, stats.asks_unmet) == (9, 2, 1)
    assert stats.conversations_held == 2 and stats.askers == 2 and stats.mentors == 1
    assert stats.average_rating == 3.0 and stats.ratings == 2
    assert stats.goals_met_share == 0.5
    assert stats.topics_without_mentors == (("rust", 5),)  # elixir (1) is under 5, and so would "other" be
    assert stats.mentor_load_busiest == 2 and stats.mentor_load_median == 2

    answer = harness.answer(ADMIN, "stats 30d")
    text = text_of(answer.blocks, answer.text)
    assert "9 made · 2 fulfilled · 1 unmet" in text and "average rating 3.0 / 5 (2 ratings)" in text
    assert "#rust" in text and "elixir" not in text
    assert ASKER not in text and MENTOR not in text  # figures only, no names


def _latest_start(engine):
    with engine.connect() as connection:
        return max(connection.execute(select(Meeting.start_at)).scalars())


def _person(user_id):
    from app.services.people import Person

    return Person(user_id, user_id, "UTC")


def test_export_uploads_a_csv_to_the_admins_dm(harness):
    answer = harness.answer(ADMIN, "export")
    assert "sent the CSV" in answer.text
    complete = harness.fake.wait_for(lambda: harness.fake.calls_to("files.completeUploadExternal", ok=True))
    assert complete[-1].args.get("channel_id") == harness.fake.dm_channel_for(ADMIN)
    (record,) = harness.fake.files.values()
    content = record["content"]
    text = content.decode() if isinstance(content, bytes) else content
    assert next(csv.reader(io.StringIO(text)))[:3] == ["section", "week_or_team", "asks"]


def _export_rows(harness) -> list[list[str]]:
    before = set(harness.fake.files)
    assert "sent the CSV" in harness.answer(ADMIN, "export").text
    fake = harness.fake
    (new,) = fake.wait_for(
        lambda: [f for f in fake.files if f not in before and fake.files[f].get("content")]
    )
    content = fake.files[new]["content"]
    return list(csv.reader(io.StringIO(content.decode() if isinstance(content, bytes) else content)))


def test_export_counts_each_person_who_took_part_once_even_after_erasure(harness, engine):
    people = [f"UCOUNT{i:03d}" for i in range(5)]
    for user_id in people:
        harness.fake.add_user(user_id, user_id.lower(), tz="UTC")
        harness.answer(user_id, "ask How do we grow? #growth")
    harness.answer(ADMIN, "list")  # the admin has a member row but took no part
    with engine.begin() as connection:
        connection.execute(update(Member).where(Member.user_id.in_(people)).values(team="growth"))

    def people_per_team() -> dict[str, int]:
        return {r[1]: int(r[-1]) for r in _export_rows(harness) if r and r[0] == "team"}

    assert people_per_team() == {"growth": 5}
    harness.click(people[0], "forget_confirm", "forget")
    harness.answer(people[0], "list")  # back again, with a fresh member row, but taking no part
    # Four are left in "growth", under five, so they fold into "other" with the erased person's stand-in:
    # still five people, each once.
    assert people_per_team() == {"other": 5}


# --- erasure ------------------------------------------------------------------------------------------


def test_forget_me_erases_the_person_and_keeps_anonymous_counts(harness, engine):
    join(harness, user_id=ASKER)  # the asker is a mentor too
    join(harness)
    start = confirmed_meeting(harness)
    booked_at = harness.clock.now()
    harness.clock.set(start + timedelta(hours=1))
    before = harness.bot.services.insight.stats(_person(ADMIN), 30)
    harness.clock.set(booked_at)  # the person asks to be forgotten before the conversation
    prompt = harness.answer(ASKER, "forget-me")
    assert "Nobody, not even an admin, can undo this" in text_of(prompt.blocks, prompt.text)
    assert {b["action_id"] for b in buttons(prompt.blocks)} == {"forget_confirm", "forget_cancel"}
    done = harness.click(ASKER, "forget_confirm", "forget")
    text = text_of(done.blocks, done.text)
    again = harness.click(ASKER, "forget_confirm", "forget")
    assert "nothing of yours left to erase" in again.text
    assert "I've erased what I held about you" in text and "your mentor profile and topics" in text
    with engine.connect() as connection:
        assert connection.execute(select(Member).where(Member.user_id == ASKER)).first() is None
        assert connection.execute(select(MentorProfile).where(MentorProfile.user_id == ASKER)).first() is None
        assert connection.execute(select(Ask.goal)).scalars().all() == [""]
        assert ASKER not in {m.asker_id for m in connection.execute(select(Meeting))}
        leftovers = [
            n.payload
            for n in connection.execute(select(Notice))
            if ASKER in str(n.payload) and n.status in ("sent", "failed")
        ]
    assert leftovers == []
    harness.clock.set(start + timedelta(hours=1))
    after = harness.bot.services.insight.stats(_person(ADMIN), 30)
    assert after.asks_made == before.asks_made and after.askers == before.askers
    harness.deliver()
    told, calendar_file = harness.fake.messages_in(harness.fake.dm_channel_for(MENTOR))[-2:]
    assert "cancelled your conversation" in told["text"]  # the upcoming one was called off first
    assert calendar_file["files"][0]["name"].endswith("-cancelled.ics")
