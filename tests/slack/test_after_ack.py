"""AfterAck: work handed off after an ack runs on its own pool, keeps the log fields, tells errors."""

from __future__ import annotations

import logging
import threading
from typing import Any

import pytest

from app.domain.errors import InvalidInput
from app.logs import current_fields, log_context
from app.slack.after_ack import SORRY, AfterAck


class Said:
    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def __call__(self, **kwargs: Any) -> None:
        self.calls.append(kwargs)


@pytest.fixture
def pool():
    after_ack = AfterAck(2)
    yield after_ack
    after_ack.shutdown()


def test_work_runs_off_the_callers_thread_with_its_log_fields(pool: AfterAck):
    seen: dict[str, Any] = {}

    def work() -> None:
        seen["thread"] = threading.current_thread().name
        seen["fields"] = current_fields()

    with log_context(request_id="r1"):
        pool.run(work, respond=Said()).result(timeout=5)
    assert seen["thread"].startswith("after-ack")
    assert seen["fields"]["request_id"] == "r1"


def test_in_flight_counts_work_until_it_ends(pool: AfterAck):
    release = threading.Event()
    future = pool.run(lambda: release.wait(5) and None, respond=None)
    assert pool.in_flight == 1
    release.set()
    future.result(timeout=5)
    assert pool.in_flight == 0


def test_a_domain_error_is_told_privately_where_they_clicked(pool: AfterAck):
    said = Said()

    def refuse() -> None:
        raise InvalidInput("Office <Paris> is unknown.")

    pool.run(refuse, respond=said).result(timeout=5)
    assert said.calls == [
        {"text": "Office &lt;Paris&gt; is unknown.", "response_type": "ephemeral", "replace_original": False}
    ]


def test_anything_else_is_logged_and_answered_with_the_apology(pool: AfterAck, caplog):
    said = Said()

    def crash() -> None:
        raise RuntimeError("boom")

    with caplog.at_level(logging.ERROR, logger="app.slack.after_ack"):
        pool.run(crash, respond=said).result(timeout=5)
    assert said.calls[0]["text"] == SORRY
    assert any("after-ack" in r.getMessage() for r in caplog.records)


def test_without_a_response_url_an_error_is_only_logged(pool: AfterAck):
    def refuse() -> None:
        raise InvalidInput("no")

    assert pool.run(refuse, respond=None).result(timeout=5) is None
