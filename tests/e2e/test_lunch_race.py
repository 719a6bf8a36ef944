"""Two lunch asks racing for one mentor's same lunch slot, through two signed picks at once, book
exactly one lunch: the other asker is told the slot was just taken, with fresh options (issue #12)."""

from __future__ import annotations

import threading

from e2e_support import ADMIN, ASKER, MENTOR, OTHER, SIGNING_SECRET, slot_buttons, slot_of, text_of
from slack_requests import SlackSender
from sqlalchemy import func, select
from test_hosted_sessions import COMMAND_CHANNEL
from test_lunch_asks import THURSDAY, TUESDAY, set_office

from app.db.models import Meeting


def test_two_picks_of_the_same_lunch_slot_book_one(harness, engine):
    h = harness
    h.fake.add_channel(COMMAND_CHANNEL, members=[MENTOR, ASKER, OTHER, ADMIN], name="general")
    h.answer(ADMIN, "offices add Berlin Europe/Berlin")
    h.answer(MENTOR, "join #python")
    set_office(h, MENTOR, "Berlin", (TUESDAY, THURSDAY))
    picks = {}
    for asker in (ASKER, OTHER):
        set_office(h, asker, "Berlin")
        offers = h.answer(asker, "ask lunch Talk careers over lunch #python")
        picks[asker] = slot_buttons(offers.blocks)[0]
    assert slot_of(picks[ASKER])[2] == slot_of(picks[OTHER])[2]  # the same lunch

    barrier = threading.Barrier(2)
    replies = {}

    def pick(asker):
        sender = SlackSender(h.base_url, SIGNING_SECRET, fake=h.fake)  # one each: its last response key
        barrier.wait(timeout=5)
        assert sender.action(asker, picks[asker]["action_id"], picks[asker]["value"]).status == 200
        key = sender.last_response_key
        replies[asker] = h.fake.wait_for(lambda: h.fake.responses_for(key), timeout=10)[-1]

    threads = [threading.Thread(target=pick, args=(asker,)) for asker in picks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    h.wait_idle()
    assert set(replies) == {ASKER, OTHER}

    with engine.connect() as connection:
        held = connection.execute(select(Meeting.asker_id, Meeting.minutes)).all()
        assert connection.scalar(select(func.count()).select_from(Meeting)) == 1
    ((winner, minutes),) = held
    assert minutes == 60
    loser = OTHER if winner == ASKER else ASKER
    said = text_of(replies[loser].blocks, replies[loser].text)
    assert "that slot was just taken" in said
    assert slot_of(picks[loser])[2] not in [slot_of(b)[2] for b in slot_buttons(replies[loser].blocks)]
