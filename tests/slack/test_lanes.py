"""Lanes: per-lane order, urgent lanes first, and a guaranteed turn for the lower priority."""

from __future__ import annotations

from app.slack.lanes import LOW_TURN, Lanes


def drain(lanes: Lanes[str]) -> list[str]:
    lanes.close()
    taken = []
    while (got := lanes.take()) is not None:
        key, item = got
        taken.append(item)
        lanes.done(key)
    return taken


def test_urgent_items_overtake_bulk_queued_before_them():
    lanes: Lanes[str] = Lanes()
    for i in range(2):
        lanes.put(f"bulk{i}", f"b{i}")
    lanes.put("mentor", "urgent", priority=1)
    assert drain(lanes)[0] == "urgent"


def test_bulk_gets_every_fourth_turn_while_urgent_keeps_coming():
    lanes: Lanes[str] = Lanes()
    for i in range(10):
        lanes.put(f"bulk{i}", f"b{i}")
    for i in range(30):
        lanes.put(f"person{i}", f"u{i}", priority=1)
    order = drain(lanes)
    first = order[: 4 * LOW_TURN]
    assert sum(1 for item in first if item.startswith("b")) == 4  # one in LOW_TURN: never starved
    assert [i for i in order if i.startswith("b")] == [f"b{i}" for i in range(10)]  # bulk in its order


def test_one_lane_keeps_its_order_whatever_the_priorities():
    lanes: Lanes[str] = Lanes()
    lanes.put("ana", "intro")
    lanes.put("ana", "request", priority=1)
    lanes.put("ben", "other", priority=1)
    order = drain(lanes)
    assert order.index("intro") < order.index("request")
    assert order[0] == "other"  # ana's lane is led by bulk; ben's urgent lane goes first
