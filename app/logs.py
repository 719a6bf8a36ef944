"""Logging for operators: one line per event, as JSON, with the request or notice it belongs to.

``log_context(request_id=…)`` binds fields for everything logged in that block (and, through
``ContextExecutor``, in the listener threads Bolt runs after the ack). Secrets never reach a line:
``SecretsFilter`` blanks Slack tokens and response_urls by their shape and any configured secret by
value, whatever library logged them. At a terminal the default is plain text instead of JSON.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

_fields: contextvars.ContextVar[dict[str, Any]] = contextvars.ContextVar("log_fields", default={})  # noqa: B039 (never mutated)

# xoxb-/xoxp-/xapp-… tokens as Slack issues them; caught even if a library prints one.
_TOKEN_SHAPE = re.compile(r"\b(?:xox[abposer]|xapp)-[A-Za-z0-9-]{6,}")
# A response_url lets anyone who reads it post as the bot for 30 minutes; also caught URL-encoded.
_RESPONSE_URL_SHAPE = re.compile(r"https?(?::|%3A)(?://|%2F%2F)hooks\.slack(?:-gov)?\.com[^\s&'\"]*", re.I)
REDACTED = "[redacted]"


@contextmanager
def log_context(**fields: Any) -> Iterator[None]:
    """Add ``fields`` to every line logged inside the block (nested blocks add to the outer ones)."""
    token = _fields.set({**_fields.get(), **{k: v for k, v in fields.items() if v is not None}})
    try:
        yield
    finally:
        _fields.reset(token)


def bind(**fields: Any) -> None:
    """Add fields to the current context for the rest of it (e.g. the user, once the body is parsed)."""
    _fields.set({**_fields.get(), **{k: v for k, v in fields.items() if v is not None}})


def current_fields() -> dict[str, Any]:
    return dict(_fields.get())


class ContextExecutor(ThreadPoolExecutor):
    """A thread pool whose tasks run in the submitter's context, so after-ack work keeps its request id.

    It also counts the tasks not yet finished (``in_flight``): after-ack work still to do.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._in_flight = 0
        self._count_lock = threading.Lock()

    @property
    def in_flight(self) -> int:
        with self._count_lock:
            return self._in_flight

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        context = contextvars.copy_context()
        with self._count_lock:
            self._in_flight += 1
        try:
            future = super().submit(context.run, fn, *args, **kwargs)
        except BaseException:
            self._finished()
            raise
        future.add_done_callback(lambda _: self._finished())
        return future

    def _finished(self) -> None:
        with self._count_lock:
            self._in_flight -= 1


def default_format() -> str:
    """Text for a person at a terminal, JSON for whatever collects the output of a service."""
    try:
        return "text" if sys.stderr.isatty() else "json"
    except (AttributeError, ValueError):  # no stderr, or a closed one
        return "json"


def _traceback(record: logging.LogRecord) -> str:
    """The record's traceback text (already scrubbed by ``SecretsFilter``), or ""."""
    if record.exc_info and not record.exc_text:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    return record.exc_text or ""


class JsonLineFormatter(logging.Formatter):
    """``{"ts": …, "level": …, "logger": …, "msg": …, <bound fields>}`` on one line; a traceback is in msg."""

    def format(self, record: logging.LogRecord) -> str:
        message, traceback = record.getMessage(), _traceback(record)
        line: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": f"{message}\n{traceback}" if traceback else message,
        }
        line.update(getattr(record, "fields", None) or {})
        return json.dumps(line, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """For a terminal: the usual line, bound fields appended as key=value, then any traceback as lines.

    A newline inside the message itself is shown as ``\\n``, so one event never looks like two.
    """

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        record.message = record.getMessage().replace("\n", "\\n")
        record.asctime = self.formatTime(record, self.datefmt)
        head = self.formatMessage(record)
        fields = getattr(record, "fields", None) or {}
        if fields:
            head += " " + " ".join(f"{k}={v}" for k, v in fields.items())
        traceback = _traceback(record)
        return f"{head}\n{traceback}" if traceback else head


class ContextFilter(logging.Filter):
    """Attach the bound fields to each record (on the handler, so every library's lines get them)."""

    def filter(self, record: logging.LogRecord) -> bool:
        bound = _fields.get()
        if bound:
            record.fields = {**bound, **(getattr(record, "fields", None) or {})}
        return True


class SecretsFilter(logging.Filter):
    """Blank secrets out of the message, its arguments and any traceback text."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self._secrets = [s for s in secrets if s and len(s) >= 6]

    def scrub(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return _RESPONSE_URL_SHAPE.sub(REDACTED, _TOKEN_SHAPE.sub(REDACTED, text))

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = self.scrub(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and record.exc_info[1] is not None:
            # Kept as the record's traceback text (scrubbed), so each formatter can lay it out.
            record.exc_text = self.scrub(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


class NoiseFilter(logging.Filter):
    """Drop lines that are true at every start and tell an operator nothing."""

    # Bolt reads SLACK_BOT_TOKEN from the environment itself and warns that our WebClient wins.
    _BOLT_TOKEN_UNUSED = "`token` will be unused"

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith("slack_bolt") and self._BOLT_TOKEN_UNUSED in str(record.msg):
            return False
        # Alembic's "Context impl SQLiteImpl." and "Will assume transactional DDL." at each start;
        # an upgrade that actually runs ("Running upgrade a -> b") is worth its line.
        return not (
            record.name == "alembic.runtime.migration"
            and record.levelno <= logging.INFO
            and not record.getMessage().startswith("Running upgrade")
        )


def configure_logging(
    *, fmt: str | None = None, level: int = logging.INFO, secrets: Iterable[str] = ()
) -> None:
    """Route every logger to stderr, one line per event, secrets blanked. ``fmt`` None: by the terminal."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLineFormatter() if (fmt or default_format()) == "json" else TextFormatter())
    handler.addFilter(NoiseFilter())
    handler.addFilter(ContextFilter())
    handler.addFilter(SecretsFilter(secrets))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # At DEBUG the Slack libraries log whole request bodies: people's goals and private notes.
    for library in ("slack_sdk", "slack_bolt"):
        logging.getLogger(library).setLevel(max(level, logging.INFO))
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # not a line per tick
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # "task queue depth" is what /metrics is for
