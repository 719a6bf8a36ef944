"""Coffee pool modes end to end (#15): "across two groups", "in person" and "lottery" made with the
"New coffee pool" form, previewed by name, and run side by side on their own schedules (a heads-up, a
skip and local-morning intros on the way).

Signed requests in; views.open, ephemerals and intros land on the fake Slack. The test owns the clock.
Teams are profile data the bot keeps (set by the About form elsewhere); this test writes them directly.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from e2e_support import ADMIN, buttons, text_of
from sqlalchemy import select, update
from sqlalchemy.orm import Session
from test_coffee_pools import open_pool_form, pick, pool_form

from app.db.models import (
    CoffeeGroup,
    CoffeeGroupMember,
    CoffeePool,
    CoffeeRound,
    Member,
    MemberOffice,
    Office,
)

START = datetime(2031, 1, 9, 12, 0, tzinfo=UTC)  # Thursday 9 January 2031, noon UTC
# "ceo" (lottery): Mondays 10:00 London; "teams" (two sides): Wednesdays 10:00 London (UTC+0 in winter).
CEO_ROUNDS = [datetime(2031, 1, 13 + 7 * k, 10, 0, tzinfo=UTC) for k in range(3)]
TEAMS_ROUND = datetime(2031, 1, 15, 10, 0, tzinfo=UTC)
HOST = "UMODES000"
DRAWN = [f"UMODES{i:03d}" for i in range(1, 6)]  # five to draw from, two a round
ENG = [f"UMODESE{i:02d}" for i in range(4)]
SALES = [f"UMODESS{i:02d}" for i in range(4)]
NO_TEAM = "UMODESN00"


def form(name, channel, *, mode, settings, weekday, size="2"):
    values = pool_form(name, mode=mode, settings=settings, size=size, channel=channel)
    values["pool_weekday"] = {"pool_weekday_input": pick(weekday)}
    return values


def groups_of(engine, pool):
    with engine.connect() as connection:
        rows = connection.execute(
            select(CoffeeRound.scheduled_for, CoffeeGroup.id, CoffeeGroupMember.user_id)
            .join(CoffeePool, CoffeePool.id == CoffeeRound.pool_id)
            .join(CoffeeGroup, CoffeeGroup.round_id == CoffeeRound.id)
            .join(CoffeeGroupMember, CoffeeGroupMember.group_id == CoffeeGroup.id)
            .where(CoffeePool.name == pool)
        ).all()
    out: dict[tuple[datetime, int], list[str]] = {}
    for scheduled_for, group_id, user_id in rows:
        out.setdefault((scheduled_for, group_id), []).append(user_id)
    return out


def test_the_form_refuses_what_the_new_modes_need(harness, engine):
    h = harness
    h.clock.set(START)
    h.fake.add_channel("C0MODES1", members=[HOST, *DRAWN], name="ceo")
    modal = open_pool_form(h, ADMIN)
    cases = [
        (form("x", "C0MODES1", mode="two_sides", settings=None, weekday="0"), "sides=team:Eng|Sales"),
        (form("x", "C0MODES1", mode="two_sides", settings="sides=team:Eng", weekday="0"), "sides="),
        (form("x", "C0MODES1", mode="lottery", settings="draw=2", weekday="0"), "one or two hosts"),
        (form("x", "C0MODES1", mode="lottery", settings="hosts=U1,U2,U3 draw=2", weekday="0"), "hosts"),
        (form("x", "C0MODES1", mode="lottery", settings="hosts=U1 draw=9", weekday="0"), "1 to 5"),
    ]
    for values, words in cases:
        body = h.sender.submit(ADMIN, view=modal, values=values).json()
        assert body["response_action"] == "errors" and words in body["errors"]["pool_settings"], body
    with Session(engine) as session:
        assert session.scalars(select(CoffeePool).where(CoffeePool.name == "x")).first() is None


def test_a_lottery_and_a_two_sides_pool_run_side_by_side(harness, engine):
    h = harness
    h.clock.set(START)
    for user_id in (HOST, *DRAWN, *ENG, *SALES, NO_TEAM):
        h.fake.add_user(user_id, user_id.lower(), real_name=user_id, tz="Europe/London")
    h.fake.add_channel("C0MODES1", members=[HOST, *DRAWN], name="ceo")
    h.fake.add_channel("C0MODES2", members=[*ENG, *SALES, NO_TEAM], name="teams")
    ceo = form("ceo", "C0MODES1", mode="lottery", settings=f"hosts={HOST} draw=2", weekday="0", size="3")
    teams = form("teams", "C0MODES2", mode="two_sides", settings="sides=team:Eng|Sales", weekday="2")
    for values in (ceo, teams):
        assert h.sender.submit(ADMIN, view=open_pool_form(h, ADMIN), values=values).status == 200
        h.wait_idle()
    with Session(engine) as session, session.begin():
        pools = {p.name: p for p in session.scalars(select(CoffeePool))}
        assert (pools["ceo"].mode, pools["ceo"].settings) == ("lottery", {"hosts": [HOST], "draw": 2})
        assert pools["teams"].settings == {"sides": "team:Eng|Sales"}
        session.execute(update(Member).where(Member.user_id.in_(ENG)).values(team="Eng"))
        session.execute(update(Member).where(Member.user_id.in_(SALES)).values(team="sales"))

    preview = h.answer(ADMIN, "coffee preview teams")
    text = text_of(preview.blocks, preview.text)
    assert "Pool: 8 people → 4 pairs" in text and "Not placed: 1 on neither side" in text
    assert "UMODESN00" not in text
    bad = h.answer(ADMIN, "coffee preview nosuchpool")
    assert "no coffee pool called" in text_of(bad.blocks, bad.text)

    coffee_channels = h.bot.services.coffee_channels
    drawn_so_far: list[str] = []
    for k, due in enumerate(CEO_ROUNDS):
        h.clock.set(due - timedelta(days=1) + timedelta(minutes=1))
        assert h.bot.services.roulette.send_due_heads_ups() == 0  # a lottery: no "paired tomorrow"
        h.clock.set(due - timedelta(minutes=1))
        coffee_channels.run_due_round()  # (the pool "coffee", empty, runs on Monday mornings too)
        assert not [when for when, _ in groups_of(engine, "ceo") if when == due]
        h.clock.set(due + timedelta(minutes=1))
        assert coffee_channels.run_due_round() == 1  # "ceo"
        assert coffee_channels.run_due_round() == 0
        rounds = groups_of(engine, "ceo")
        [group] = [g for (when, _), g in rounds.items() if when == due]
        assert HOST in group and len(group) == 3
        drawn_so_far += sorted(set(group) - {HOST})
        if k == 0:  # "teams" runs on the Wednesday between the first two Mondays
            h.clock.set(TEAMS_ROUND - timedelta(days=1) + timedelta(minutes=1))
            assert h.bot.services.roulette.send_due_heads_ups() == 9  # "teams"' nine, the day before
            h.wait_idle()
            heads_up = h.fake.dms_to(ENG[0])[-1]
            assert "You'll be paired tomorrow" in heads_up["text"]
            skip = next(b for b in buttons(heads_up["blocks"]) if b["action_id"] == "coffee_skip")
            skipped = h.click(ENG[0], "coffee_skip", skip["value"], message=heads_up)
            assert "Skipped" in text_of(skipped.blocks, skipped.text)
            h.clock.set(TEAMS_ROUND + timedelta(minutes=1))
            assert coffee_channels.run_due_round() == 1
            assert coffee_channels.run_due_round() == 0
    # Nobody drawn twice before everyone had been: four different people in the first two rounds, and
    # the third draws the fifth (and one of the others).
    assert len(set(drawn_so_far[:4])) == 4
    [fifth] = set(DRAWN) - set(drawn_so_far[:4])
    assert fifth in drawn_so_far[4:] and len(set(drawn_so_far[4:])) == 2

    pairs = list(groups_of(engine, "teams").values())
    # ENG[0] skipped: three of Eng and four of Sales, in three groups each mixing both sides.
    assert len(pairs) == 3 and sorted(u for g in pairs for u in g) == sorted(ENG[1:] + SALES)
    assert all(len(set(g) & set(ENG)) == 1 and set(g) & set(SALES) for g in pairs)  # both sides
    h.wait_idle()
    for g in pairs:  # introduced at 09:30 London the next morning (the clock moved past it)
        [intro] = h.fake.messages_in(h.fake.dm_channel_for(*g))
        assert "Meet your coffee" in intro["text"], g


BERLIN = [f"UMODESB{i:02d}" for i in range(4)]
LONDON = ["UMODESL00"]  # alone in their office


def test_an_in_person_pool_groups_within_an_office_on_a_day_they_are_in(harness, engine):
    h = harness
    h.clock.set(START)
    for user_id in (*BERLIN, *LONDON, NO_TEAM):
        h.fake.add_user(user_id, user_id.lower(), real_name=user_id, tz="Europe/Berlin")
    h.fake.add_channel("C0MODES3", members=[*BERLIN, *LONDON, NO_TEAM], name="office-coffee")
    for office in ("Berlin Europe/Berlin", "London Europe/London"):
        added = h.answer(ADMIN, f"offices add {office}")
        assert office.split()[0] in text_of(added.blocks, added.text)
    values = form("office", "C0MODES3", mode="in_person", settings=None, weekday="2")
    assert h.sender.submit(ADMIN, view=open_pool_form(h, ADMIN), values=values).status == 200
    h.wait_idle()
    with Session(engine) as session, session.begin():
        offices = {o.name: o.id for o in session.scalars(select(Office))}
        days = ["1,3", "3", "0,3", "3,4"]  # Thursday is everyone's day in Berlin
        for user_id, day in zip(BERLIN, days, strict=True):
            session.add(MemberOffice(user_id=user_id, office_id=offices["Berlin"], days=day))
        session.add(MemberOffice(user_id=LONDON[0], office_id=offices["London"], days="1"))

    answer = h.answer(ADMIN, "coffee preview office")
    preview = text_of(answer.blocks, answer.text)
    assert "Pool: 6 people → 2 pairs" in preview
    assert "Not placed: 1 no office set; 1 the only one of their office." in preview
    h.clock.set(TEAMS_ROUND + timedelta(minutes=1))
    assert h.bot.services.coffee_channels.run_due_round() >= 1
    h.clock.set(TEAMS_ROUND + timedelta(days=1))  # past 09:30 Berlin the next morning
    h.wait_idle()
    pairs = list(groups_of(engine, "office").values())
    assert sorted(u for g in pairs for u in g) == sorted(BERLIN)
    for g in pairs:
        [intro] = h.fake.messages_in(h.fake.dm_channel_for(*g))
        assert "*In person* at the Berlin office: you're all usually in on Thursday." in text_of(
            intro["blocks"], intro["text"]
        )
    for user_id in (*LONDON, NO_TEAM):  # not placed: no group, and not told they were "left out"
        assert not any("first in line" in (m.get("text") or "") for m in h.fake.dms_to(user_id))
    shown = h.answer(ADMIN, "coffee schedule office")
    assert "*Pool office:* Every week on Wednesday at 10:00 (Europe/London)" in text_of(
        shown.blocks, shown.text
    )
    moved = h.answer(ADMIN, "coffee schedule office every 2 weeks fri 09:00 Europe/Berlin")
    moved_text = text_of(moved.blocks, moved.text)
    assert "Schedule saved." in moved_text and "*Pool office:* Every 2 weeks on Friday at 09:00" in moved_text
    assert "Every week on Monday" in text_of(*_answer(h, "coffee schedule"))  # "coffee" kept its own


def _answer(h, command):
    answer = h.answer(ADMIN, command)
    return answer.blocks, answer.text
