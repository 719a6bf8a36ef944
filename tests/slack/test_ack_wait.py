"""ack_wait: a request's thread is free the moment its listener acks, not at Bolt's next 10 ms look."""

from __future__ import annotations

import threading
from typing import Any

from slack_bolt import App, BoltRequest
from slack_bolt.authorization import AuthorizeResult
from support.slack_requests import block_actions_body

from app.slack.ack_wait import AckAwaitingExecutor, SignallingAck, _awaited, give_signalling_ack


def test_handing_off_returns_once_the_listener_acks_while_it_goes_on():
    pool = AckAwaitingExecutor(max_workers=2)
    ack = SignallingAck()
    release = threading.Event()

    def listener() -> str:
        ack()
        release.wait(10)  # the rest of the listener's work
        return "done"

    try:
        _awaited.set(ack)
        future = pool.submit(listener)
        assert ack.response is not None  # given before submit returned
        assert not future.done()
        release.set()
        assert future.result(timeout=5) == "done"
    finally:
        _awaited.set(None)
        pool.shutdown()


def test_a_listener_that_never_acks_frees_the_request_when_it_ends():
    pool = AckAwaitingExecutor(max_workers=1)
    ack = SignallingAck()
    try:
        _awaited.set(ack)
        future = pool.submit(lambda: "no ack")
        assert future.done() and future.result() == "no ack"
        assert ack.response is None
    finally:
        _awaited.set(None)
        pool.shutdown()


def test_without_an_awaited_ack_submit_does_not_wait():
    pool = AckAwaitingExecutor(max_workers=1)
    release = threading.Event()
    try:
        future = pool.submit(release.wait, 10)
        assert not future.done()
        release.set()
        assert future.result(timeout=5) is True
    finally:
        pool.shutdown()


def test_bolt_answers_with_the_listeners_ack_and_the_listener_finishes_after():
    """Through Bolt itself: the response carries the ack while the listener is still running."""
    pool = AckAwaitingExecutor(max_workers=2)
    app = App(
        signing_secret="secret",
        # No Slack to ask: who the bot is, told directly.
        authorize=lambda **_: AuthorizeResult(
            enterprise_id=None, team_id="T1", bot_token="xoxb-test", bot_user_id="UBOT", bot_id="B1"
        ),
        request_verification_enabled=False,
        process_before_response=False,
        listener_executor=pool,
    )
    app.middleware(give_signalling_ack)
    release, finished = threading.Event(), threading.Event()
    given: list[Any] = []

    @app.action("join_session")
    def join(ack: Any) -> None:
        given.append(ack)
        ack(text="on it")
        release.wait(10)
        finished.set()

    body = block_actions_body("U1", "join_session", "ref", response_url="https://hooks.example/r")
    try:
        response = app.dispatch(
            BoltRequest(body=body, headers={"content-type": "application/x-www-form-urlencoded"})
        )
        assert response.status == 200 and "on it" in response.body
        assert not finished.is_set()
        assert isinstance(given[0], SignallingAck) and given[0].given.is_set()
        release.set()
        assert finished.wait(5)
    finally:
        pool.shutdown()
