"""``harness.wait_idle()``: what "nothing happened" checks wait for, so an effect that comes late is seen."""

from __future__ import annotations

from e2e_support import ASKER, MENTOR, slot_buttons, text_of


def test_wait_idle_returns_only_after_slow_after_ack_work(harness):
    harness.fake.delay("users.info", 0.5)  # the listener's first look-up of the person is slow
    harness.command(ASKER, "coffee join")  # acknowledged at once; the answer follows after the look-up
    key = harness.sender.last_response_key
    harness.wait_idle()
    answers = harness.fake.responses_for(key)  # no waiting here: idle means the answer is out
    assert len(answers) == 1 and "You're *in*" in text_of(answers[0].blocks, answers[0].text)


def test_wait_idle_delivers_what_is_due(harness):
    harness.answer(MENTOR, "join #python")
    offers = harness.answer(ASKER, "ask How do I profile Python code? #python")
    chosen = slot_buttons(offers.blocks)[0]
    harness.sender.action(ASKER, chosen["action_id"], chosen["value"])  # queues the mentor's request DM
    harness.wait_idle()
    assert len(harness.fake.messages_in(harness.fake.dm_channel_for(MENTOR))) == 1
