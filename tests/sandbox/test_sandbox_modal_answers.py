"""The sandbox shows what Slack shows after a modal is submitted: the app's HTTP answer decides whether the
modal stays with errors, is replaced (``update``), gets another on top (``push``, back to it on the next
empty answer), or the whole stack closes (``clear``). The bot's answers are played here by a link that
answers as an app may, so each documented ``response_action`` is tried whether or not the bot uses it today.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from slack_sdk import WebClient

from app.sandbox.clock import SandboxClock
from app.sandbox.session import Sandbox
from app.sandbox.signing import Reply
from app.sandbox.standin import FakeSlack

USER = "U0SOFIA"


def modal(title: str, callback_id: str = "form") -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": {"type": "plain_text", "text": title},
        "submit": {"type": "plain_text", "text": "Save"},
        "blocks": [
            {
                "type": "input",
                "block_id": "name",
                "label": {"type": "plain_text", "text": "Name"},
                "element": {"type": "plain_text_input", "action_id": "name_input"},
            }
        ],
    }


class AnsweringApp:
    """Stands in for the bot's HTTP endpoint: answers each view_submission with the next queued body."""

    def __init__(self) -> None:
        self.answers: list[dict[str, Any] | None] = []
        self.submitted: list[str] = []

    def interaction(self, payload: dict[str, Any]) -> Reply:
        self.submitted.append(payload["view"]["id"])
        answer = self.answers.pop(0)
        return Reply(200, json.dumps(answer) if answer is not None else "")


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as running:
        running.add_user(USER, "sofia", real_name="Sofia Rossi", tz="Europe/Rome")
        yield running


@pytest.fixture
def app() -> AnsweringApp:
    return AnsweringApp()


@pytest.fixture
def sandbox(fake: FakeSlack, app: AnsweringApp) -> Sandbox:
    clock = SandboxClock(datetime(2031, 1, 8, 9, 0, tzinfo=UTC))
    return Sandbox(fake, app, clock, [], team_id=fake.team_id)  # type: ignore[arg-type]


def open_modal(fake: FakeSlack, title: str) -> str:
    client = WebClient(base_url=fake.api_url, token=fake.bot_token, retry_handlers=[])
    return str(client.views_open(trigger_id=fake.new_trigger_id(USER), view=modal(title))["view"]["id"])


def shown(sandbox: Sandbox) -> dict[str, Any] | None:
    return sandbox.seen_by(USER)["modal"]


def test_errors_keep_the_modal_and_an_empty_answer_closes_it(fake, app, sandbox):
    view_id = open_modal(fake, "Profile")
    app.answers = [{"response_action": "errors", "errors": {"name": "Give a name."}}, None]
    sandbox.submit(USER, view_id, {})
    assert (shown(sandbox) or {}).get("id") == view_id
    sandbox.submit(USER, view_id, {})
    assert shown(sandbox) is None


def test_update_replaces_the_modal_in_place(fake, app, sandbox):
    view_id = open_modal(fake, "Step 1")
    app.answers = [{"response_action": "update", "view": modal("Step 2", "step2")}]
    sandbox.submit(USER, view_id, {})
    now = shown(sandbox)
    assert now is not None and now["id"] == view_id
    assert now["title"]["text"] == "Step 2" and now["callback_id"] == "step2"


def test_push_stacks_a_modal_and_its_empty_answer_goes_back(fake, app, sandbox):
    first = open_modal(fake, "Lock pairs")
    app.answers = [{"response_action": "push", "view": modal("Are you sure?", "confirm")}, None]
    sandbox.submit(USER, first, {})
    pushed = shown(sandbox)
    assert pushed is not None and pushed["id"] != first and pushed["title"]["text"] == "Are you sure?"
    assert pushed["previous_view_id"] == first and pushed["root_view_id"] == first

    sandbox.submit(USER, pushed["id"], {})
    back = shown(sandbox)
    assert back is not None and back["id"] == first  # as Slack does after a pushed view is done


def test_clear_closes_the_whole_stack(fake, app, sandbox):
    first = open_modal(fake, "Lock pairs")
    app.answers = [
        {"response_action": "push", "view": modal("Are you sure?", "confirm")},
        {"response_action": "clear"},
    ]
    sandbox.submit(USER, first, {})
    pushed = shown(sandbox)
    assert pushed is not None
    sandbox.submit(USER, pushed["id"], {})
    assert shown(sandbox) is None


def test_an_invalid_view_in_the_answer_leaves_the_modal_as_it_was(fake, app, sandbox):
    view_id = open_modal(fake, "Profile")
    app.answers = [{"response_action": "update", "view": {"type": "modal", "blocks": []}}]  # no title
    sandbox.submit(USER, view_id, {})
    now = shown(sandbox)
    assert now is not None and now["id"] == view_id and now["title"]["text"] == "Profile"
