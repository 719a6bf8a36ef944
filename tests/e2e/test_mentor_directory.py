"""Browsing the register and asking a mentor by name, driven as Slack drives it: `/mentor mentors`,
the Next/Previous page buttons, the "Ask" button's modal, and the aimed ask's slots."""

from __future__ import annotations

import json

from e2e_support import ASKER, MENTOR, OTHER, button, buttons, slot_buttons, slot_of, text_of
from sqlalchemy import update

from app.db.models import MentorProfile

COMMAND_CHANNEL = "C1"


def join(h, user_id, topics):
    h.answer(user_id, f"join {topics}")


def set_bio(engine, user_id, bio):
    with engine.begin() as connection:
        connection.execute(update(MentorProfile).where(MentorProfile.user_id == user_id).values(bio=bio))


def ask_buttons(blocks):
    return [b for b in buttons(blocks) if b["action_id"].startswith("ask_mentor_")]


def test_mentors_for_a_topic_with_their_bio_and_next_slot_then_ask_one_by_name(harness, engine):
    join(harness, MENTOR, "#python #career")
    join(harness, OTHER, "#go")
    set_bio(engine, MENTOR, "Ten years of <b>Python</b> & code review")

    listing = harness.answer(ASKER, "mentors #python")
    text = text_of(listing.blocks, listing.text)
    assert listing.response_type == "ephemeral"
    assert "*1 mentor for `#python`*" in text
    assert f"<@{MENTOR}>" in text and f"<@{OTHER}>" not in text
    assert "Ten years of &lt;b&gt;Python&lt;/b&gt; &amp; code review" in text  # escaped, shown to askers
    assert "Next free: " in text and "(America/New_York)" in text
    (ask,) = ask_buttons(listing.blocks)
    assert json.loads(ask["value"]) == {"m": MENTOR, "t": ["python"]}
    assert "response_url" not in json.dumps(listing.blocks)

    harness.sender.action(ASKER, ask["action_id"], ask["value"])
    trigger = harness.sender.last_trigger_id
    opened = harness.fake.wait_for(
        lambda: [c for c in harness.fake.calls_to("views.open", ok=True) if c.args["trigger_id"] == trigger]
    )
    modal = next(m for m in harness.fake.modals_for(ASKER) if m["id"] == opened[0].response["view"]["id"])
    assert json.loads(modal["private_metadata"]) == {"m": MENTOR}
    assert f"<@{MENTOR}>" in text_of(modal["blocks"])
    topics_input = next(b for b in modal["blocks"] if b.get("block_id") == "ask_topics")
    assert topics_input["element"]["initial_value"] == "python"

    ok = harness.sender.submit(
        ASKER,
        view=modal,
        values={"goal": {"goal_input": "Review my first PR"}, "ask_topics": {"ask_topics_input": "python"}},
    )
    assert ok.status == 200 and not ok.body  # an empty ack closes the modal
    offers = harness.fake.wait_for(lambda: harness.fake.messages_in(harness.fake.dm_channel_for(ASKER)))[-1]
    assert f"Pick a 15-minute slot with <@{MENTOR}>" in text_of(offers["blocks"], offers["text"])
    assert "Ten years of &lt;b&gt;Python&lt;/b&gt;" in text_of(offers["blocks"])  # the bio, in the offer too
    plain_ask = harness.answer(OTHER, "ask Pair on a refactor #python")
    assert "Ten years of &lt;b&gt;Python&lt;/b&gt;" in text_of(plain_ask.blocks)
    slots = slot_buttons(offers["blocks"])
    assert slots and {slot_of(b)[1] for b in slots} == {MENTOR}

    harness.click(ASKER, slots[0]["action_id"], slots[0]["value"])
    harness.wait_idle()
    request = harness.fake.messages_in(harness.fake.dm_channel_for(MENTOR))[-1]
    assert "Review my first PR" in text_of(request["blocks"], request["text"])


def test_a_mentor_asked_by_name_who_cannot_take_it_is_said_so_and_others_are_offered(harness, engine):
    join(harness, MENTOR, "#python")
    join(harness, OTHER, "#python")
    listing = harness.answer(ASKER, "mentors #python")
    pick = next(b for b in ask_buttons(listing.blocks) if json.loads(b["value"])["m"] == OTHER)
    harness.answer(OTHER, "away 2w")  # steps away after the list was shown

    harness.sender.action(ASKER, pick["action_id"], pick["value"])
    modal = harness.fake.wait_for(lambda: harness.fake.modals_for(ASKER))[-1]
    harness.sender.submit(
        ASKER,
        view=modal,
        values={"goal": {"goal_input": "Pair on a refactor"}, "ask_topics": {"ask_topics_input": ""}},
    )
    offers = harness.fake.wait_for(lambda: harness.fake.messages_in(harness.fake.dm_channel_for(ASKER)))[-1]
    said = text_of(offers["blocks"], offers["text"])
    assert f"<@{OTHER}> can't take a request right now" in said
    assert {slot_of(b)[1] for b in slot_buttons(offers["blocks"])} == {MENTOR}

    again = harness.answer(ASKER, "mentors #python")
    said = text_of(again.blocks, again.text)
    assert f"<@{OTHER}>" not in said and "1 more is away right now" in said


def test_pages_of_mentors_with_next_and_previous_in_place(harness):
    mentors = [f"UPAGE{n:02d}" for n in range(11)]
    for user_id in mentors:
        harness.fake.add_user(user_id, user_id.lower(), tz="Europe/Berlin")
        join(harness, user_id, "#sre")

    first = harness.answer(ASKER, "mentors")
    said = text_of(first.blocks, first.text)
    assert "*11 mentors* taking requests" in said and "Page 1 of 2" in said
    on_first = {json.loads(b["value"])["m"] for b in ask_buttons(first.blocks)}
    assert len(on_first) == 8
    assert [b["action_id"] for b in buttons(first.blocks) if b["action_id"].startswith("directory_page")] == [
        "directory_page_next"
    ]

    second = harness.click(ASKER, "directory_page_next", button(first.blocks, "directory_page_next")["value"])
    assert second.replace_original
    on_second = {json.loads(b["value"])["m"] for b in ask_buttons(second.blocks)}
    assert on_first | on_second == set(mentors) and not on_first & on_second
    assert "Page 2 of 2" in text_of(second.blocks, second.text)

    back = harness.click(ASKER, "directory_page_prev", button(second.blocks, "directory_page_prev")["value"])
    assert {json.loads(b["value"])["m"] for b in ask_buttons(back.blocks)} == on_first


def test_nobody_for_a_topic_a_typo_and_the_viewer_is_not_listed(harness):
    join(harness, MENTOR, "#python")
    mine = harness.answer(MENTOR, "mentors #python")
    assert "No mentor for `#python` is taking requests right now" in text_of(mine.blocks, mine.text)
    assert not ask_buttons(mine.blocks)

    typo = harness.command(ASKER, "mentors python")
    assert typo.json()["response_type"] == "ephemeral"
    assert "isn't a topic" in typo.json()["text"] and "/mentor mentors #python" in typo.json()["text"]

    assert "/mentor mentors #topic" in text_of(harness.command(ASKER, "help").json()["blocks"])


def test_browse_mentors_from_the_home_lands_in_the_app_dm_with_working_buttons(harness):
    join(harness, MENTOR, "#python")
    harness.sender.action(ASKER, "home_browse", "browse", view={"id": "VHOME", "type": "home"})
    page = harness.fake.wait_for(lambda: harness.fake.messages_in(harness.fake.dm_channel_for(ASKER)))[-1]
    assert f"<@{MENTOR}>" in text_of(page["blocks"], page["text"])
    (ask,) = ask_buttons(page["blocks"])
    harness.sender.action(ASKER, ask["action_id"], ask["value"], message=page)
    modal = harness.fake.wait_for(lambda: harness.fake.modals_for(ASKER))[-1]
    assert json.loads(modal["private_metadata"]) == {"m": MENTOR}
