"""Coffee roulette end to end: the pool, admin commands, a scheduled round, intros, follow-up.

Signed requests in; intros and follow-ups land on the fake Slack as group DMs. The test moves the bot's
clock to the round's time and to the follow-up.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from e2e_support import ADMIN, ASKER, MENTOR, OTHER, buttons, text_of
from sqlalchemy import select

from app.bootstrap import create_bot
from app.db.models import CoffeeGroupMember, CoffeeRound, Notice
from app.services.people import Person

CHANNEL = "C0COFFEE1"
# Thursday 9 January 2031, noon UTC: the schedule is set then, for Mondays 09:00 in Berlin.
SCHEDULED_AT = datetime(2031, 1, 9, 12, 0, tzinfo=UTC)
# Monday 13 January 2031, 09:00 in Berlin (winter, UTC+1) is 08:00 UTC: the first round after it.
ROUND_TIME = datetime(2031, 1, 13, 8, 0, tzinfo=UTC)
EXTRA = [f"UPEOPLE{i:02d}" for i in range(6)]


def add_people(fake):
    for i, user_id in enumerate(EXTRA):
        fake.add_user(user_id, f"person{i}", real_name=f"Person {i}", tz="Europe/London")
    fake.add_user("UBOTUSER1", "somebot", is_bot=True)
    fake.add_user("UGONE0001", "gone", deleted=True)


def test_join_status_pause_resume_leave(harness):
    joined = harness.answer(ASKER, "coffee join")
    assert "You're *in* the coffee roulette" in text_of(joined.blocks, joined.text)
    paused = harness.answer(ASKER, "coffee pause 2w")
    assert "*paused*" in text_of(paused.blocks, paused.text)
    resume = buttons(paused.blocks)[0]
    assert resume["action_id"] == "coffee_resume"
    resumed = harness.click(ASKER, "coffee_resume", resume["value"])
    assert "You're *in*" in text_of(resumed.blocks, resumed.text)
    left = harness.answer(ASKER, "coffee leave")
    assert "*not* taking part" in text_of(left.blocks, left.text)
    status = harness.answer(ASKER, "coffee status")
    assert "*not* taking part" in text_of(status.blocks, status.text)


def test_admin_commands_are_refused_to_others(harness, engine):
    for text in (
        "coffee run",
        "coffee preview",
        "coffee schedule weekly tue 10:00",
        f"coffee channel <#{CHANNEL}|coffee>",
    ):
        answer = harness.answer(ASKER, text)
        assert "Only Mentorbot admins can do that" in text_of(answer.blocks, answer.text), text
    with engine.connect() as connection:
        assert connection.execute(select(CoffeeRound)).all() == []


def test_channel_members_are_the_pool_without_bots_or_leavers(harness):
    add_people(harness.fake)
    harness.fake.add_channel(CHANNEL, members=[*EXTRA, "UBOTUSER1", "UGONE0001", ASKER], name="coffee")
    attached = harness.answer(ADMIN, f"coffee channel <#{CHANNEL}|coffee>")
    assert f"its {len(EXTRA) + 1} members are in the pool" in text_of(attached.blocks, attached.text)
    preview = harness.answer(ADMIN, "coffee preview")
    text = text_of(preview.blocks, preview.text)
    assert f"Pool: {len(EXTRA) + 1} people → 2 pairs and 1 trio" in text
    assert "UBOTUSER1" not in text and "UGONE0001" not in text
    assert harness.fake.calls_to("chat.postMessage") == []  # a preview tells nobody


def test_scheduled_round_introduces_each_group_once_then_follows_up(harness, engine):
    harness.clock.set(SCHEDULED_AT)
    add_people(harness.fake)
    harness.fake.add_channel(CHANNEL, members=EXTRA, name="coffee")
    harness.answer(ADMIN, f"coffee channel <#{CHANNEL}|coffee>")
    harness.answer(ASKER, "coffee join")
    harness.answer(EXTRA[0], f"coffee avoid <@{EXTRA[1]}|person1>")
    schedule = harness.answer(ADMIN, "coffee schedule weekly mon 09:00 Europe/Berlin")
    assert "Every week on Monday at 09:00 (Europe/Berlin)" in text_of(schedule.blocks, schedule.text)

    bot = harness.bot
    harness.clock.set(ROUND_TIME - timedelta(minutes=1))
    assert bot.services.coffee_channels.run_due_round() == 0  # not yet
    harness.clock.set(ROUND_TIME + timedelta(minutes=1))
    assert bot.services.coffee_channels.run_due_round() == 1
    assert bot.services.coffee_channels.run_due_round() == 0  # once
    harness.deliver()
    with engine.connect() as connection:
        groups: dict[int, list[str]] = {}
        for group_id, user_id in connection.execute(
            select(CoffeeGroupMember.group_id, CoffeeGroupMember.user_id)
        ):
            groups.setdefault(group_id, []).append(user_id)
    assert sorted(len(g) for g in groups.values()) == [2, 2, 3]
    assert not any({EXTRA[0], EXTRA[1]} <= set(g) for g in groups.values())
    for members in groups.values():
        intros = harness.fake.messages_in(harness.fake.dm_channel_for(*members))
        assert len(intros) == 1, members
        text = text_of(intros[0]["blocks"], intros[0]["text"])
        assert "Meet your coffee" in text and "Icebreaker" in text and "propose a time" in text
        assert all(f"<@{m}>" in text for m in members)
    posted = [c.args.get("channel", "") for c in harness.fake.calls_to("chat.postMessage")]
    assert all(not channel.startswith("C") for channel in posted)  # nothing in public channels

    harness.clock.set(ROUND_TIME + timedelta(days=3, minutes=2))
    assert bot.services.roulette.send_due_followups() == 3
    assert bot.services.roulette.send_due_followups() == 0
    harness.deliver()
    group_id, members = next(iter(groups.items()))
    followup = harness.fake.messages_in(harness.fake.dm_channel_for(*members))[-1]
    assert "Did you meet" in followup["text"]
    answer = harness.click(members[0], "coffee_met_yes", str(group_id), message=followup)
    assert "Noted: you met" in answer.text and answer.response_type == "ephemeral"
    again = harness.click(members[0], "coffee_met_yes", str(group_id), message=followup)
    assert "Already noted" in again.text
    outsider = harness.click(OTHER, "coffee_met_no", str(group_id), message=followup)
    assert "Only the people in this group" in text_of(outsider.blocks, outsider.text)
    with engine.connect() as connection:
        answers = dict(
            connection.execute(
                select(CoffeeGroupMember.user_id, CoffeeGroupMember.answer).where(
                    CoffeeGroupMember.group_id == group_id
                )
            ).all()
        )
    assert answers[members[0]] == "yes" and all(answers[m] is None for m in members[1:])


def test_a_restart_in_the_middle_of_a_round_sends_each_intro_exactly_once(harness, engine):
    add_people(harness.fake)
    for user_id in [*EXTRA, MENTOR, ASKER]:
        harness.answer(user_id, "coffee join")
    summary = harness.bot.services.roulette.run_now(_admin(harness))
    assert len(summary.groups) == 4
    assert harness.bot.dispatcher.deliver_due(limit=2) == 2  # two intros out, then the bot "dies"

    # A new process's wiring on the same database.
    restarted = create_bot(harness.bot.settings, clock=harness.clock)
    try:
        while restarted.dispatcher.deliver_due():
            pass
    finally:
        restarted.engine.dispose()
    for group in summary.groups:
        assert len(harness.fake.messages_in(harness.fake.dm_channel_for(*group))) == 1, group
    assert len(harness.fake.calls_to("chat.postMessage")) == 4


def _admin(_harness):
    return Person(ADMIN, "Ada", "UTC")


# --- a partner Slack can no longer reach -------------------------------------------------------------


def _intro_status(engine, group_number: int) -> str:
    with engine.connect() as connection:
        keys = connection.execute(
            select(Notice.status, Notice.last_error).where(Notice.kind == "coffee_intro").order_by(Notice.id)
        ).all()
    return keys[group_number]


def test_the_partner_of_someone_who_left_joins_a_pair_not_yet_introduced(harness, engine):
    add_people(harness.fake)
    for user_id in EXTRA[:4]:
        harness.answer(user_id, "coffee join")
    harness.deliver()  # nothing else waiting in the outbox
    summary = harness.bot.services.roulette.run_now(_admin(harness))
    (gone, partner), second = summary.groups
    harness.fake.deactivate_user(gone)  # left the company between the round and its intro
    assert harness.bot.dispatcher.deliver_due(limit=1) == 1  # the first intro only: it fails
    assert tuple(_intro_status(engine, 0)) == ("failed", "user_disabled")
    harness.deliver()

    trio = sorted([*second, partner])
    intros = harness.fake.messages_in(harness.fake.dm_channel_for(*trio))
    assert len(intros) == 1
    text = text_of(intros[0]["blocks"], intros[0]["text"])
    assert "Meet your coffee trio" in text and all(f"<@{m}>" in text for m in trio)
    assert harness.fake.messages_in(harness.fake.dm_channel_for(*second)) == []  # not as a pair too
    assert harness.fake.messages_in(harness.fake.dm_channel_for(partner)) == []  # no "sorry" either


def test_the_partner_of_someone_who_left_is_told_kindly_and_placed_first_next_round(harness, engine):
    add_people(harness.fake)
    gone, partner, avoided, fourth = EXTRA[:4]
    for user_id in (gone, partner):
        harness.answer(user_id, "coffee join")
    harness.deliver()
    summary = harness.bot.services.roulette.run_now(_admin(harness))
    assert [sorted(g) for g in summary.groups] == [sorted([gone, partner])]
    harness.fake.fail_next("conversations.open", "account_inactive")  # as Slack answers for a leaver
    harness.fake.deactivate_user(gone)
    harness.deliver()
    assert tuple(_intro_status(engine, 0)) == ("failed", "account_inactive")
    sorry = harness.fake.messages_in(harness.fake.dm_channel_for(partner))
    assert len(sorry) == 1 and "first in line next round" in sorry[0]["text"]

    # Next round: three people and a "don't pair" wish mean one of them gets no group. Not the partner.
    for user_id in (avoided, fourth):
        harness.answer(user_id, "coffee join")
    harness.answer(partner, f"coffee avoid <@{avoided}|person2>")
    for _ in range(10):  # each preview draws a new seed: it is the priority, not luck
        preview = harness.bot.services.roulette.preview(_admin(harness))
        assert preview.left_out == (avoided,), preview
    harness.clock.advance(timedelta(days=7))  # a week later: a round of its own
    assert harness.bot.services.roulette.run_now(_admin(harness)).left_out == (avoided,)
    harness.deliver()
    assert len(harness.fake.messages_in(harness.fake.dm_channel_for(partner, fourth))) == 1
    left_out = harness.fake.messages_in(harness.fake.dm_channel_for(avoided))
    assert "first in line next round" in left_out[-1]["text"]
    # ... and the promise holds for them in turn: when next time someone must sit out, it is not them.
    harness.answer(partner, f"coffee unavoid <@{avoided}|person2>")
    harness.answer(avoided, f"coffee avoid <@{fourth}|person3>")
    for _ in range(10):
        assert harness.bot.services.roulette.preview(_admin(harness)).left_out == (fourth,)
