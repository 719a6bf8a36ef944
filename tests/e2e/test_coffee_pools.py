"""Coffee pools end to end (#15): an admin makes a pool with the "New coffee pool" form, everyone lists
them, `/mentor coffee join` asks which pool, and two pools with different schedules run side by side.

Signed requests in; views.open, ephemerals and intros land on the fake Slack. The test owns the clock.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from e2e_support import ADMIN, ASKER, MENTOR, OTHER, buttons, text_of
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import CoffeeGroup, CoffeeGroupMember, CoffeeParticipant, CoffeePool, CoffeeRound
from app.services.people import Person
from app.slack.blocks import coffee as coffee_blocks

CHANNEL = "C0MENTORS"
# Thursday 9 January 2031, noon UTC.
START = datetime(2031, 1, 9, 12, 0, tzinfo=UTC)
# The pool "coffee": Mondays 09:00 Berlin = 08:00 UTC on 13 January. "mentors": Wednesdays 10:00 London.
COFFEE_ROUND = datetime(2031, 1, 13, 8, 0, tzinfo=UTC)
MENTORS_ROUND = datetime(2031, 1, 15, 10, 0, tzinfo=UTC)
LONDON_MORNING = datetime(2031, 1, 16, 9, 30, tzinfo=UTC)  # Thursday 09:30 in London (winter, UTC+0)
PEOPLE = [f"UPOOLS{i:03d}" for i in range(6)]


def pick(value):
    return {"type": "static_select", "selected_option": {"value": value}}


def pool_form(name="mentors", *, tz="Europe/London", mode="random", settings=None, size="3", channel=CHANNEL):
    return {
        "pool_name": {"pool_name_input": {"type": "plain_text_input", "value": name}},
        "pool_channel": {
            "pool_channel_input": {"type": "conversations_select", "selected_conversation": channel}
        },
        "pool_every": {"pool_every_input": pick("1")},
        "pool_weekday": {"pool_weekday_input": pick("2")},
        "pool_time": {"pool_time_input": {"type": "timepicker", "selected_time": "10:00"}},
        "pool_tz": {"pool_tz_input": {"type": "plain_text_input", "value": tz}},
        "pool_size": {"pool_size_input": pick(size)},
        "pool_window": {"pool_window_input": pick("6")},
        "pool_mode": {"pool_mode_input": pick(mode)},
        "pool_settings": {"pool_settings_input": {"type": "plain_text_input", "value": settings}},
        "pool_options": {
            "pool_options_input": {"type": "checkboxes", "selected_options": [{"value": "heads_up"}]}
        },
    }


def open_pool_form(h, user_id):
    h.command(user_id, "coffee pool new")
    trigger = h.sender.last_trigger_id
    opened = h.fake.wait_for(
        lambda: [c for c in h.fake.calls_to("views.open", ok=True) if c.args["trigger_id"] == trigger]
    )
    return next(m for m in h.fake.modals_for(user_id) if m["id"] == opened[0].response["view"]["id"])


def pools_in(engine):
    with engine.connect() as connection:
        return connection.execute(select(CoffeePool.name).order_by(CoffeePool.id)).scalars().all()


def setup(h):
    h.clock.set(START)
    for i, user_id in enumerate(PEOPLE):
        h.fake.add_user(user_id, f"pools{i}", real_name=f"Pools {i}", tz="Europe/London")
    h.fake.add_channel(CHANNEL, members=PEOPLE[:3], name="mentors")


def test_the_form_refuses_what_it_cannot_use_and_makes_the_pool(harness, engine):
    h = harness
    setup(h)
    refused = h.answer(ASKER, "coffee pool new")
    assert "Only Mentorbot admins can do that" in text_of(refused.blocks, refused.text)
    assert not h.fake.modals_for(ASKER)
    modal = open_pool_form(h, ADMIN)
    assert modal["callback_id"] == "coffee_pool_new"
    cases = [
        (pool_form(name="two words"), "pool_name", "one word"),
        (pool_form(name="coffee"), "pool_name", "already a pool"),
        (pool_form(tz="Mars/Olympus"), "pool_tz", "time zone"),
        (pool_form(mode="senior"), "pool_settings", "level=3"),
        (pool_form(mode="speed-dating"), "pool_mode", "mode is one of"),
        (pool_form(settings="colour=blue"), "pool_settings", "can't read"),
    ]
    for values, block, words in cases:
        body = h.sender.submit(ADMIN, view=modal, values=values).json()
        assert body["response_action"] == "errors" and words in body["errors"][block], (block, body)
    assert "mentors" not in pools_in(engine)  # (the pool "coffee" is there, or made when first needed)
    assert (
        h.sender.submit(ADMIN, view=modal, values=pool_form(mode="senior", settings="level=3")).status == 200
    )
    h.wait_idle()
    assert pools_in(engine) == ["coffee", "mentors"]
    with Session(engine) as session:
        pool = session.scalars(select(CoffeePool).where(CoffeePool.name == "mentors")).one()
    assert (pool.mode, pool.group_size, pool.settings, pool.heads_up, pool.tz) == (
        "senior",
        3,
        {"level": 3},
        True,
        "Europe/London",
    )
    confirmation = h.fake.dms_to(ADMIN)[-1]
    assert "Created the coffee pool *mentors*" in text_of(confirmation["blocks"], confirmation["text"])
    # A second submission of the same form (a double click) makes nothing more.
    again = h.sender.submit(ADMIN, view=modal, values=pool_form()).json()
    assert "already a pool" in again["errors"]["pool_name"]
    assert pools_in(engine) == ["coffee", "mentors"]


def test_pools_are_listed_and_join_asks_which_one(harness, engine):
    h = harness
    setup(h)
    one = h.answer(ASKER, "coffee join")  # one pool: joined at once, as before
    assert "You're *in* the coffee roulette" in text_of(one.blocks, one.text)
    modal = open_pool_form(h, ADMIN)
    assert h.sender.submit(ADMIN, view=modal, values=pool_form()).status == 200
    h.wait_idle()
    listed = h.answer(OTHER, "coffee pools")
    text = text_of(listed.blocks, listed.text)
    assert "*coffee* (random, groups of 2, heads-up the day before): 1 taking part" in text
    assert "*mentors* (random, groups of 3, heads-up the day before): 3 taking part" in text  # its channel
    assert "Every week on Wednesday at 10:00 (Europe/London)" in text
    before = participants(engine)
    choice = h.answer(MENTOR, "coffee join")
    assert "Which coffee pool" in text_of(choice.blocks, choice.text)
    assert participants(engine) == before  # asking changed nothing
    values = [b["value"] for b in buttons(choice.blocks)]
    assert values == ["pool:coffee", "pool:mentors"]
    joined = h.click(MENTOR, "coffee_join", "pool:mentors")
    assert "Pool *mentors*" in text_of(joined.blocks, joined.text)
    twice = h.click(MENTOR, "coffee_join", "pool:mentors")  # a second click: the same state, no second row
    assert "Pool *mentors*" in text_of(twice.blocks, twice.text)
    assert participants(engine) - before == {("mentors", MENTOR, True)}
    # The pause message after three unanswered check-ins, for this pool: "Ask me later" = 4 weeks.
    paused = coffee_blocks.paused("mentors")
    ask_later = next(b for b in buttons(paused.blocks) if b["text"]["text"] == "Ask me later")
    later = h.click(MENTOR, ask_later["action_id"], ask_later["value"])
    assert "Pool *mentors*: Your coffee roulette is *paused* until" in text_of(later.blocks, later.text)
    with Session(engine) as session:
        row = session.scalars(
            select(CoffeeParticipant).join(CoffeePool).where(CoffeePool.name == "mentors")
        ).one()
        assert row.paused_until == START + timedelta(days=28)
    assert h.answer(MENTOR, "coffee status").text.count("paused") == 0  # "coffee" is another pool
    resume = next(b for b in buttons(paused.blocks) if b["text"]["text"] == "Resume")
    back = h.click(MENTOR, resume["action_id"], resume["value"])
    assert "Pool *mentors*: You're *in*" in text_of(back.blocks, back.text)
    gone = h.click(MENTOR, "coffee_join", "pool:nosuchpool")
    assert "no coffee pool called" in text_of(gone.blocks, gone.text)


def participants(engine):
    with engine.connect() as connection:
        rows = connection.execute(
            select(CoffeePool.name, CoffeeParticipant.user_id, CoffeeParticipant.opted_in).join(
                CoffeePool, CoffeePool.id == CoffeeParticipant.pool_id
            )
        )
        return {tuple(r) for r in rows}


def test_two_pools_run_side_by_side_each_on_its_own_schedule(harness, engine):
    h = harness
    setup(h)
    h.fake.add_channel(CHANNEL, members=PEOPLE, name="mentors")  # six people, in groups of three
    h.answer(ADMIN, "coffee schedule weekly mon 09:00 Europe/Berlin")
    for user_id in (ASKER, MENTOR, OTHER, PEOPLE[3]):
        h.answer(user_id, "coffee join")
    modal = open_pool_form(h, ADMIN)
    assert h.sender.submit(ADMIN, view=modal, values=pool_form()).status == 200
    h.wait_idle()
    coffee_channels = h.bot.services.coffee_channels
    roulette = h.bot.services.roulette

    # The day before "coffee"'s Monday round: a heads-up to its four (not yet to "mentors", Wednesday).
    h.clock.set(COFFEE_ROUND - timedelta(days=1, minutes=1))
    assert roulette.send_due_heads_ups() == 0  # a minute too early
    h.clock.set(COFFEE_ROUND - timedelta(days=1) + timedelta(minutes=1))
    assert roulette.send_due_heads_ups() == 4
    assert roulette.send_due_heads_ups() == 0  # once
    h.wait_idle()
    heads_up = h.fake.dms_to(OTHER)[-1]
    assert "You'll be paired tomorrow" in heads_up["text"]
    skip = next(b for b in buttons(heads_up["blocks"]) if b["action_id"] == "coffee_skip")
    assert {b["text"]["text"] for b in buttons(heads_up["blocks"])} == {
        "Skip this round",
        "Pause 2 weeks",
        "Leave",
    }
    skipped = h.click(OTHER, "coffee_skip", skip["value"], message=heads_up)
    assert "Skipped: you'll sit out the round" in text_of(skipped.blocks, skipped.text)
    again = h.click(OTHER, "coffee_skip", skip["value"], message=heads_up)
    assert "Already skipped" in text_of(again.blocks, again.text)

    h.clock.set(COFFEE_ROUND + timedelta(minutes=1))
    assert coffee_channels.run_due_round() == 1  # only "coffee" is due on Monday
    assert coffee_channels.run_due_round() == 0
    late = h.click(MENTOR, "coffee_skip", skip["value"], message=heads_up)
    assert "already run" in text_of(late.blocks, late.text)
    assert roulette.status(_person(OTHER)).in_pool  # a skip is one round, not a pause
    h.clock.set(MENTORS_ROUND - timedelta(days=1) + timedelta(minutes=1))
    assert roulette.send_due_heads_ups() == 6  # "mentors"' six, the day before its Wednesday
    h.clock.set(MENTORS_ROUND - timedelta(minutes=1))
    assert coffee_channels.run_due_round() == 0
    h.clock.set(MENTORS_ROUND + timedelta(minutes=1))
    assert coffee_channels.run_due_round() == 1  # "mentors" on Wednesday, its channel's members read first
    assert coffee_channels.run_due_round() == 0
    h.wait_idle()
    with engine.connect() as connection:
        rounds = connection.execute(
            select(CoffeePool.name, CoffeeRound.scheduled_for, CoffeeGroup.id, CoffeeGroupMember.user_id)
            .join(CoffeeRound, CoffeeRound.pool_id == CoffeePool.id)
            .join(CoffeeGroup, CoffeeGroup.round_id == CoffeeRound.id)
            .join(CoffeeGroupMember, CoffeeGroupMember.group_id == CoffeeGroup.id)
        ).all()
    by_pool: dict[str, list[str]] = {}
    groups: dict[tuple[str, int], list[str]] = {}
    for name, scheduled_for, group_id, user_id in rounds:
        assert scheduled_for == {"coffee": COFFEE_ROUND, "mentors": MENTORS_ROUND}[name]
        by_pool.setdefault(name, []).append(user_id)
        groups.setdefault((name, group_id), []).append(user_id)
    # PEOPLE[3] is in both: joined "coffee" and a member of the "mentors" channel.
    assert sorted(by_pool["coffee"]) == sorted([ASKER, MENTOR, PEOPLE[3]])  # OTHER skipped it
    assert sorted(by_pool["mentors"]) == sorted(PEOPLE)
    assert sorted(len(g) for (name, _), g in groups.items() if name == "coffee") == [3]
    assert sorted(len(g) for (name, _), g in groups.items() if name == "mentors") == [3, 3]  # its group size

    def intros(members):
        return h.fake.messages_in(h.fake.dm_channel_for(*members))

    for (name, _), members in groups.items():  # "coffee" introduces at once, as it always did
        assert len(intros(members)) == (name == "coffee"), (name, members)
    # "mentors" introduces each group at 09:30 in the zone most of it shares (London): the next morning.
    h.clock.set(LONDON_MORNING - timedelta(minutes=1))
    h.wait_idle()
    assert not any(intros(m) for (name, _), m in groups.items() if name == "mentors")
    h.clock.set(LONDON_MORNING + timedelta(minutes=1))
    h.wait_idle()
    for (name, _), members in groups.items():
        intro = intros(members)
        assert (len(intro) == 1 and "Meet your coffee trio" in intro[0]["text"]) or name == "coffee", members


def _person(user_id):
    return Person(user_id, user_id, "UTC")
