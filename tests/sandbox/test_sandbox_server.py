"""``mentorbot sandbox`` end to end over its page's HTTP endpoints (what the page's JavaScript calls).

The sandbox signs each request to the bot as Slack does; the bot checks it with Bolt's verifier. The story:
an asker asks, picks a slot, the mentor accepts, both see the group DM; the clock moves past the meeting's
end, the feedback question arrives and is answered.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sandbox_runs import running_sandbox
from sqlalchemy import func, select

from app.db.models import CoffeeRound
from app.sandbox.run import RunningSandbox
from app.sandbox.signing import signed_headers
from app.services.people import Person

ASKER, MENTOR = "U0SOFIA", "U0ADA"
ADMIN_ADA = MENTOR  # the sample workspace's admin


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[RunningSandbox]:
    with running_sandbox(tmp_path) as running:
        yield running


class Page:
    def __init__(self, running: RunningSandbox) -> None:
        self.base = running.url

    def get(self, path: str) -> Any:
        with urllib.request.urlopen(self.base + path.lstrip("/"), timeout=15) as answer:
            return json.load(answer)

    def post(self, path: str, body: dict[str, Any]) -> Any:
        request = urllib.request.Request(
            self.base + path.lstrip("/"), json.dumps(body).encode(), {"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=15) as answer:
            return json.load(answer)

    def seen(self, user: str) -> Any:
        return self.get(f"api/seen?user={user}")

    def command(self, user: str, text: str) -> Any:
        reply = self.post("api/command", {"user": user, "text": text})
        assert reply["status"] == 200, reply
        return reply

    def click(self, user: str, where: dict[str, Any], blocks: list[dict[str, Any]], action_id: str) -> Any:
        block, element = _find(blocks, action_id)
        action = {
            "type": "button",
            "action_id": element["action_id"],
            "block_id": block.get("block_id"),
            "value": element.get("value"),
            "text": element.get("text"),
        }
        reply = self.post("api/action", {"user": user, "where": where, "action": action})
        assert reply["status"] == 200, reply
        return reply


def _find(blocks: list[dict[str, Any]], action_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    for block in blocks:
        elements = list(block.get("elements") or []) + [block[k] for k in ("accessory",) if k in block]
        for element in elements:
            if isinstance(element, dict) and str(element.get("action_id", "")).startswith(action_id):
                return block, element
    raise AssertionError(f"no {action_id} in {json.dumps(blocks)[:800]}")


def _text(messages: list[dict[str, Any]]) -> str:
    return "\n".join(json.dumps(m.get("blocks") or m.get("text")) for m in messages)


def test_the_page_is_served_on_localhost_only(sandbox: RunningSandbox) -> None:
    assert sandbox.url.startswith("http://127.0.0.1:")
    with urllib.request.urlopen(sandbox.url, timeout=5) as answer:
        html = answer.read().decode()
    assert '<script src="/sandbox.js"></script>' in html
    page = Page(sandbox)
    people = page.get("api/people")["people"]
    assert len(people) == 12
    assert len({p["tz"] for p in people}) >= 5


def test_the_bot_refuses_requests_the_sandbox_did_not_sign(sandbox: RunningSandbox) -> None:
    """No signature bypass: a wrong secret gets 401 from the bot, as from Slack's real app."""
    body = "command=%2Fmentor&text=help&user_id=U0SOFIA"
    headers = signed_headers("not-the-secret", body)
    request = urllib.request.Request(
        f"http://127.0.0.1:{sandbox.bot_server.port}/slack/events", body.encode(), headers
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    assert refused.value.code == 401


def test_ask_pick_accept_group_dm_then_feedback(sandbox: RunningSandbox) -> None:
    page = Page(sandbox)
    page.command(ASKER, "ask How do I start with Python? #python")
    offers = page.seen(ASKER)["answers"][-1]
    assert "Pick a 15-minute slot" in (offers["text"] or "")
    page.click(ASKER, {"kind": "response", "slot": offers["slot"]}, offers["blocks"], "pick_slot_")
    assert "Request sent to" in page.seen(ASKER)["answers"][-1]["text"]

    dm = page.seen(MENTOR)["conversations"][0]
    request = dm["messages"][-1]
    where = {"kind": "message", "channel": dm["id"], "ts": request["ts"]}
    page.click(MENTOR, where, request["blocks"], "accept_request")
    # As in Slack, the bot's replace_original answer replaces the request in the DM: no buttons left.
    (answered,) = [m for m in page.seen(MENTOR)["conversations"][0]["messages"] if m["ts"] == request["ts"]]
    assert "accepted" in _text([answered]) and "accept_request" not in json.dumps(answered)
    assert not [a for a in page.seen(MENTOR)["answers"] if "accepted" in json.dumps(a)], (
        "not also an ephemeral"
    )

    for user in (ASKER, MENTOR):
        groups = [c for c in page.seen(user)["conversations"] if c["group"]]
        assert len(groups) == 1, page.seen(user)["conversations"]
        assert "How do I start with Python?" in _text(groups[0]["messages"])

    def own_dm() -> dict[str, Any]:
        dms = [c for c in page.seen(ASKER)["conversations"] if not c["group"]]
        return dms[0] if dms else {"id": None, "messages": []}

    before = len(own_dm()["messages"])
    moved = page.post("api/clock", {"by": "day"})
    assert moved["ok"] and moved["now"].startswith("2031-01-09T10:00")
    mine = own_dm()
    asked = mine["messages"][before:]
    assert asked, f"no feedback question after the meeting's end: {_text(mine['messages'])}"
    question = asked[-1]
    _, element = _find(question["blocks"], "rate_5")
    page.click(
        ASKER,
        {"kind": "message", "channel": mine["id"], "ts": question["ts"]},
        question["blocks"],
        element["action_id"],
    )
    # The answer replaces the question in the DM (replace_original), so it can't be answered twice.
    (thanked,) = [m for m in own_dm()["messages"] if m["ts"] == question["ts"]]
    assert "Thanks!" in (thanked.get("text") or ""), thanked
    opened = page.post("api/home", {"user": MENTOR})
    assert opened["status"] == 200
    home = page.seen(MENTOR)["home"]
    assert home is not None and home["type"] == "home"
    methods = [c["method"] for c in page.get("api/calls")["calls"]]
    assert {"chat.postMessage", "conversations.open", "users.info"} <= set(methods)


def test_a_modal_shows_the_bots_field_errors_then_closes_when_accepted(sandbox: RunningSandbox) -> None:
    page = Page(sandbox)
    page.command(ASKER, "join")
    modal = page.seen(ASKER)["modal"]
    assert modal is not None and modal["callback_id"] == "mentor_profile"
    refused = page.post("api/submit", {"user": ASKER, "view_id": modal["id"], "values": {}})
    assert refused["answer"]["response_action"] == "errors"
    assert set(refused["answer"]["errors"]) >= {"topics", "windows"}
    assert page.seen(ASKER)["modal"]["id"] == modal["id"], "a refused modal stays open"

    values = {
        "topics": {"topics_input": {"type": "plain_text_input", "value": "design, figma"}},
        "bio": {"bio_input": {"type": "plain_text_input", "value": "Junior designer"}},
        "windows": {"windows_input": {"type": "plain_text_input", "value": "Mon-Fri 09:00-12:00"}},
        "capacity": {"capacity_input": {"type": "number_input", "value": "2"}},
        "team": {"team_input": {"type": "plain_text_input", "value": "Design"}},
        "level": {"level_input": {"type": "static_select", "selected_option": None}},
        "reverse": {"reverse_input": {"type": "checkboxes", "selected_options": []}},
    }
    accepted = page.post("api/submit", {"user": ASKER, "view_id": modal["id"], "values": values})
    assert accepted["status"] == 200
    assert (accepted["answer"] or {}).get("response_action") != "errors", accepted
    assert page.seen(ASKER)["modal"] is None
    page.command(MENTOR, "ask Where do I start with Figma? #figma")
    assert "Sofia" in json.dumps(page.seen(MENTOR)["answers"][-1]["blocks"]) or "U0SOFIA" in json.dumps(
        page.seen(MENTOR)["answers"][-1]["blocks"]
    )


def test_the_sample_workspace_has_offices_and_people_in_them(sandbox: RunningSandbox) -> None:
    page = Page(sandbox)
    assert page.seen(MENTOR)["answers"] == [], "the seed's own answers are not shown to the admin"
    page.command(ASKER, "offices")
    listed = json.dumps(page.seen(ASKER)["answers"][-1])
    for office, zone in (
        ("London", "Europe/London"),
        ("Berlin", "Europe/Berlin"),
        ("New York", "America/New_York"),
    ):
        assert office in listed and zone in listed, listed
    ada = sandbox.bot.services.about.about(Person(MENTOR, "Ada Lovelace", "Europe/London"))
    assert (ada.office, ada.office_days) == ("London", (1, 3))
    remote = sandbox.bot.services.about.about(Person(ASKER, "Sofia Rossi", "Europe/Rome"))
    assert remote.office is None


def test_the_coffee_button_moves_to_the_pools_own_next_round_and_the_round_runs(
    sandbox: RunningSandbox,
) -> None:
    page = Page(sandbox)
    page.command(ADMIN_ADA, "coffee schedule weekly thu 14:00 Asia/Tokyo")
    (due,) = [p.next_round for p in sandbox.bot.services.roulette.list_pools()]
    assert due.astimezone(ZoneInfo("Asia/Tokyo")).strftime("%a %H:%M") == "Thu 14:00"
    moved = page.post("api/clock", {"by": "coffee"})
    assert moved["ok"] and datetime.fromisoformat(moved["now"]) == due + timedelta(minutes=1)
    with sandbox.bot.engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(CoffeeRound)) == 1
