"""Answer Slack the moment a listener acks, not at Bolt's next look.

With ``process_before_response=False`` Bolt runs a listener on its listener pool and the request's
thread waits for the ack by looking every 10 ms (``ThreadListenerRunner``: ``time.sleep(0.01)``). So
every ack took 10 ms or more of an HTTP thread, even alone, and a burst of 50 clicks on 16 threads
queued for them: ~40 ms before the last click was even read.

Instead each request's ``ack`` is a ``SignallingAck`` (put in the context by ``give_signalling_ack``,
a global middleware) and the listener pool is an ``AckAwaitingExecutor``: handing a listener to the
pool returns once that ack was given, or the listener ended without one, or after Bolt's own ack
timeout. Bolt's loop then finds the ack given at its first look and does not sleep.

Only public seams are used (the context's ``ack``, the ``listener_executor``); were Bolt to change
how it waits, this would fall back to its polling, never to a wrong answer.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future
from contextvars import ContextVar
from typing import Any

from slack_bolt import Ack, BoltContext

from app.logs import ContextExecutor

ACK_TIMEOUT_SECONDS = 3.0  # Slack's, and Bolt's default listener.ack_timeout

_awaited: ContextVar[SignallingAck | None] = ContextVar("awaited_ack", default=None)


class SignallingAck(Ack):
    """Bolt's ack, which also sets ``given`` once called."""

    def __init__(self) -> None:
        super().__init__()
        self.given = threading.Event()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().__call__(*args, **kwargs)
        finally:
            self.given.set()


def give_signalling_ack(context: BoltContext, next: Callable[[], Any]) -> None:
    """Global middleware: this request's ack signals, and the next listener handed off waits for it."""
    ack = SignallingAck()
    context["ack"] = ack
    _awaited.set(ack)
    next()


class AckAwaitingExecutor(ContextExecutor):
    """Bolt's listener pool: ``submit`` from a request's thread returns once the listener acked."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        ack = _awaited.get()
        _awaited.set(None)  # one wait per request; the listener's own context starts without one
        future = super().submit(fn, *args, **kwargs)
        if ack is not None:
            future.add_done_callback(lambda _: ack.given.set())  # ended (or failed) without an ack
            ack.given.wait(ACK_TIMEOUT_SECONDS)
        return future
