"""`/mentor ask reverse`: a senior asker is offered only juniors open to it, two levels below, in another
team; without their own team and level they are told how to give them; nobody fitting is explained."""

from __future__ import annotations

from e2e_support import ASKER, MENTOR, OTHER, slot_buttons, slot_of, text_of
from sqlalchemy import update

from app.db.models import Member


def set_member(engine, user_id, *, team, level):
    with engine.begin() as connection:
        connection.execute(update(Member).where(Member.user_id == user_id).values(team=team, level=level))


def test_a_reverse_ask_offers_only_a_junior_in_another_team(harness, engine):
    harness.fake.add_user(
        OTHER, "omar", real_name="Omar Other", tz="Europe/London"
    )  # shares New York's morning
    harness.answer(MENTOR, "join #leadership")
    harness.answer(OTHER, "join #leadership")
    harness.answer(ASKER, "list")  # the asker is known to the bot
    set_member(engine, ASKER, team="Payments", level=4)
    set_member(engine, MENTOR, team="Data", level=1)  # two levels below, another team: fits
    set_member(engine, OTHER, team="Payments", level=1)  # the asker's own team: never for reverse

    ordinary = harness.answer(ASKER, "ask How do juniors see our roadmap? #leadership")
    assert {slot_of(b)[1] for b in slot_buttons(ordinary.blocks)} == {MENTOR, OTHER}
    reverse = harness.answer(ASKER, "ask reverse How do juniors see our roadmap? #leadership")
    assert {slot_of(b)[1] for b in slot_buttons(reverse.blocks)} == {MENTOR}
    assert "How do juniors see our roadmap?" in text_of(
        reverse.blocks, reverse.text
    )  # "reverse" is no goal word

    set_member(engine, MENTOR, team="Data", level=3)  # now only one level below
    nobody = harness.answer(ASKER, "ask reverse How do juniors see our roadmap? #leadership")
    said = text_of(nobody.blocks, nobody.text)
    assert not slot_buttons(nobody.blocks)
    assert "No one open to reverse mentoring is 2+ levels below you in another team" in said
    assert "1 is in your team" in said and "1 is fewer than 2 levels below you" in said


def test_a_reverse_ask_needs_the_asker_s_team_and_level(harness):
    harness.answer(MENTOR, "join #leadership")
    answer = harness.answer(ASKER, "ask reverse What do new joiners struggle with?")
    said = text_of(answer.blocks, answer.text)
    assert answer.response_type == "ephemeral"
    assert "I need your team and level" in said and "/mentor about" in said


def test_reverse_from_the_home_s_ask_form(harness, engine):
    harness.answer(MENTOR, "join #leadership")
    harness.sender.action(ASKER, "home_ask", "ask", view={"id": "VHOME", "type": "home"})
    modal = harness.fake.wait_for(lambda: harness.fake.modals_for(ASKER))[-1]
    kind = next(b for b in modal["blocks"] if b.get("block_id") == "ask_kind")
    assert kind["element"]["options"][0]["value"] == "reverse"
    values = {
        "goal": {"goal_input": {"type": "plain_text_input", "value": "What do new joiners struggle with?"}},
        "ask_topics": {"ask_topics_input": {"type": "plain_text_input", "value": "leadership"}},
        "ask_kind": {"ask_kind_input": {"type": "checkboxes", "selected_options": [{"value": "reverse"}]}},
    }
    assert harness.sender.submit(ASKER, view=modal, values=values).status == 200
    harness.wait_idle()
    refusal = harness.fake.messages_in(harness.fake.dm_channel_for(ASKER))[-1]
    assert "I need your team and level" in text_of(refusal["blocks"], refusal["text"])  # the modal had closed

    # As the refusal says: team and level through "About you".
    harness.sender.action(ASKER, "home_about", "about", view={"id": "VHOME", "type": "home"})
    about = harness.fake.wait_for(
        lambda: [m for m in harness.fake.modals_for(ASKER) if m["callback_id"] == "about_you"]
    )[-1]
    about_values = {
        "hours": {"hours_input": {"type": "plain_text_input", "value": "Mon-Fri 09:00-17:00"}},
        "team": {"team_input": {"type": "plain_text_input", "value": "Payments"}},
        "level": {"level_input": {"type": "static_select", "selected_option": {"value": "4"}}},
    }
    assert harness.sender.submit(ASKER, view=about, values=about_values).status == 200
    set_member(engine, MENTOR, team="Data", level=1)
    before = len(harness.fake.modals_for(ASKER))
    harness.sender.action(ASKER, "home_ask", "ask", view={"id": "VHOME", "type": "home"})
    # Not the newest modal right after the click: under load that is still "About you".
    modal = harness.fake.new_modal(ASKER, before)
    assert modal["callback_id"] == next(m for m in harness.fake.modals_for(ASKER))["callback_id"]
    assert harness.sender.submit(ASKER, view=modal, values=values).status == 200
    harness.wait_idle()
    (offers,) = harness.fake.wait_for(
        lambda: [
            m
            for m in harness.fake.messages_in(harness.fake.dm_channel_for(ASKER))
            if slot_buttons(m.get("blocks") or [])
        ]
    )
    assert {slot_of(b)[1] for b in slot_buttons(offers["blocks"])} == {MENTOR}
