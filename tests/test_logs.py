"""Log lines: one JSON object per event, bound fields attached, secrets blanked whoever logs them."""

from __future__ import annotations

import io
import json
import logging
import threading

import pytest

from app.logs import ContextExecutor, configure_logging, log_context

TOKEN = "xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx"
SECRET = "8f14e45fceea167a5a36dedd4bea2543"


@pytest.fixture
def captured(monkeypatch):
    stream = io.StringIO()
    monkeypatch.setattr("sys.stderr", stream)
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    configure_logging(fmt="json", secrets=[SECRET])
    try:
        yield stream
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in handlers:
            root.addHandler(handler)
        root.setLevel(level)


def lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_one_json_line_per_event_with_the_bound_fields(captured):
    log = logging.getLogger("test.logs")
    with log_context(request_id="abc123", user="U1"):
        log.info("first %s", "line")
        try:
            raise ValueError("boom\nsecond line")
        except ValueError:
            log.exception("it failed")
    log.info("outside")
    first, failure, outside = lines(captured)
    assert first["msg"] == "first line" and first["request_id"] == "abc123" and first["user"] == "U1"
    assert first["level"] == "info" and first["logger"] == "test.logs" and first["ts"].endswith("+00:00")
    assert "ValueError: boom" in failure["msg"] and failure["request_id"] == "abc123"
    assert "request_id" not in outside
    assert len(captured.getvalue().splitlines()) == 3  # the traceback stayed inside its line


def test_tokens_and_secrets_are_blanked_in_messages_arguments_and_tracebacks(captured):
    log = logging.getLogger("slack_sdk.web.base_client")
    log.warning("Sending a request - headers: {'Authorization': 'Bearer %s'}", TOKEN)
    log.warning("signing secret is " + SECRET)
    try:
        raise RuntimeError(f"token {TOKEN} rejected")
    except RuntimeError:
        log.exception("call failed")
    text = captured.getvalue()
    assert TOKEN not in text and SECRET not in text
    assert text.count("[redacted]") == 3


def test_work_handed_to_listener_threads_keeps_the_request_fields(captured):
    executor = ContextExecutor(max_workers=1)
    seen = threading.Event()

    def after_ack() -> None:
        logging.getLogger("test.listener").info("after the ack")
        seen.set()

    with log_context(request_id="req42"):
        executor.submit(after_ack)
    assert seen.wait(5)
    executor.shutdown(wait=True)
    assert lines(captured)[-1]["request_id"] == "req42"


def test_a_response_url_is_blanked_plain_or_url_encoded(captured):
    # A logger of its own: Bolt sets "slack_bolt.App"'s level from the root's when an App is built, so
    # after other tests it may drop INFO lines and this test would see nothing.
    log = logging.getLogger("test.logs.bolt_like")
    url = "https://hooks.slack.com/commands/T0001/1234567890/AbCdEf0123456789"
    log.info("body: text=hi&response_url=%s&trigger_id=1", url.replace(":", "%3A").replace("/", "%2F"))
    log.info("posting to %s now", url)
    text = captured.getvalue()
    assert "hooks.slack.com" not in text and "AbCdEf0123456789" not in text
    assert text.count("[redacted]") == 2 and "trigger_id=1" in text


def test_text_format_shows_a_traceback_as_lines_and_a_message_as_one(monkeypatch):
    stream = io.StringIO()
    monkeypatch.setattr("sys.stderr", stream)
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    configure_logging(fmt="text", secrets=[SECRET])
    try:
        log = logging.getLogger("test.text")
        with log_context(request_id="r1"):
            try:
                raise ValueError(f"bad {SECRET}")
            except ValueError:
                log.exception("it failed\nforged second line")
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in handlers:
            root.addHandler(handler)
        root.setLevel(level)
    head, *traceback = stream.getvalue().splitlines()
    assert head.endswith("ERROR test.text it failed\\nforged second line request_id=r1")
    assert traceback[0] == "Traceback (most recent call last):"
    assert traceback[-1] == "ValueError: bad [redacted]"


def test_the_default_format_follows_the_terminal(monkeypatch):
    from app.logs import default_format

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("sys.stderr", Terminal())
    assert default_format() == "text"
    monkeypatch.setattr("sys.stderr", io.StringIO())
    assert default_format() == "json"


def test_the_listener_executor_counts_work_until_it_has_finished():
    release = threading.Event()
    with ContextExecutor(max_workers=2) as executor:
        assert executor.in_flight == 0
        running = executor.submit(release.wait, 10)
        queued = [executor.submit(lambda: None) for _ in range(3)]
        assert executor.in_flight >= 1 + sum(not f.done() for f in queued) >= 1
        assert not running.done() and executor.in_flight >= 1
        release.set()
        running.result(timeout=10)
        for future in queued:
            future.result(timeout=10)
    assert executor.in_flight == 0
    with pytest.raises(RuntimeError):  # refused after shutdown: nothing counted
        executor.submit(lambda: None)
    assert executor.in_flight == 0
