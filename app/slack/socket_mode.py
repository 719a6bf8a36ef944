"""Socket Mode: Slack's requests over a WebSocket the bot opens (no public URL), each acked by envelope_id.

The client is the SDK's websocket-client based one, not its builtin one: after an abrupt drop (TCP closed,
no close frame) the builtin client spins a core until five pings fail, disconnected for ~50 s, while
websocket-client's reader sees the closed socket at once. ``_Client`` fixes what the stand-in showed
(tests/e2e/test_socket_mode.py), so any drop or refresh is followed by a new connection in ~0.1 s, and
a link gone silent in ~3 s.

Every envelope is dispatched through the same Bolt app as HTTP mode, logged and counted the same way
(``accounted_request``), and acked whatever Bolt answered: an unacked envelope only comes again.
Re-deliveries are recognised by the middleware in ``app.py`` (``delivery_key``), so they run once.
"""

from __future__ import annotations

import contextlib
import json
import logging
import time
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.socket_mode.internals import build_headers
from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.socket_mode.interval_runner import IntervalRunner
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse
from slack_sdk.socket_mode.websocket_client import SocketModeClient
from websocket import WebSocketException

from app.logs import bind
from app.slack.accounting import accounted_request
from app.slack.acks_first import AcksFirst
from app.slack.app import ENVELOPE_ID
from app.slack.metrics import Metrics

log = logging.getLogger(__name__)

# A ping every PING_INTERVAL; a connection that has answered nothing (no pong, no message) for
# SILENCE_LIMIT is taken for dead. The monitor looks every PING_INTERVAL, so a link gone silent is
# replaced within SILENCE_LIMIT + PING_INTERVAL = 4 s, and a pong has 2 s and more to come back.
PING_INTERVAL = 1.0
SILENCE_LIMIT = 3.0

# Slack's answers to apps.connections.open that mean the app-level token itself is wrong.
TOKEN_ERRORS = frozenset({"invalid_auth", "not_allowed_token_type", "not_authed", "missing_args"})


class AppTokenRefused(Exception):
    """Slack refused SLACK_APP_TOKEN: start-up cannot go on (one line, no traceback)."""


class SocketModeUnavailable(Exception):
    """Slack could not be reached to open a Socket Mode connection."""


class _Client(SocketModeClient):
    """The SDK's client, changed where the stand-in showed it slow or leaky:

    - a link that answers nothing, not even pings, is taken for dead (its loop pings but never gives
      up), and a link that failed is aborted, not sent a close frame and waited on for 3 s;
    - a replaced connection is sent a close frame and its reader finishes it (``_say_goodbye``): the
      SDK closed it from another thread, racing the reader, and held every envelope up to 3 s;
    - only the current connection's close reconnects (the SDK reconnected twice after each refresh), a
      connection not yet started is not taken for dead (it opened two at start-up), and a dead one is
      replaced, not re-dialled on its stale URL;
    - the TCP socket is closed when a connection ends (websocket-client leaves it to the garbage
      collector after a close handshake, so Slack saw it linger for 10 s).
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._last_run: Any = None
        self._running_socket: Any = None  # the TCP socket of the connection being run
        self._last_heard = time.monotonic()  # the last pong or message on it
        # Pick up a new connection within 0.1 s rather than the SDK's 0.5 s.
        self.current_session_runner.shutdown()
        self.current_session_runner = IntervalRunner(self._run_current_session, 0.1).start()

    def connect(self) -> None:
        replaced, self.current_session = self.current_session, None
        super().connect()  # sees no old session, so closes none inline
        session = self.current_session
        assert session is not None
        sdk_on_close = session.on_close

        def on_close(ws: Any, *args: Any) -> None:
            if ws is self.current_session:  # a replaced connection going is expected
                sdk_on_close(ws, *args)

        session.on_close = on_close
        sdk_on_open, sdk_on_message = session.on_open, session.on_message

        def on_open(ws: Any) -> None:
            self._running_socket = ws.sock.sock if ws.sock is not None else None
            self._last_heard = time.monotonic()
            sdk_on_open(ws)

        def on_message(ws: Any, message: str) -> None:
            self._last_heard = time.monotonic()
            sdk_on_message(ws, message)

        def on_pong(ws: Any, data: bytes) -> None:
            self._last_heard = time.monotonic()

        session.on_open, session.on_message, session.on_pong = on_open, on_message, on_pong
        sdk_on_error = session.on_error

        def on_error(ws: Any, error: Exception) -> None:
            # A dead link (a ping unanswered, the connection gone): don't wait 3 s for a close frame
            # that cannot come before reconnecting.
            if isinstance(error, WebSocketException | OSError) and ws.sock is not None:
                ws.sock.abort()
            sdk_on_error(ws, error)

        session.on_error = on_error
        if replaced is not None:
            _say_goodbye(replaced)

    def disconnect(self) -> None:
        if self.current_session is not None:
            _say_goodbye(self.current_session)

    def _monitor_current_session(self) -> None:
        session = self.current_session
        if session is not None and session is not self._last_run:
            return  # not started yet (no socket): the runner starts it within 0.1 s; don't replace it
        sock = session.sock if session is not None else None
        silent_for = time.monotonic() - self._last_heard
        if sock is not None and sock.connected and silent_for > SILENCE_LIMIT:
            log.warning("Socket Mode: nothing from Slack for %.1f s; reconnecting", silent_for)
            sock.abort()  # the reader wakes with an error, and the SDK reconnects
        super()._monitor_current_session()

    def _run_current_session(self) -> None:
        session = self.current_session
        if session is None or session is self._last_run:
            return
        self._last_run = session
        try:
            session.run_forever(ping_interval=PING_INTERVAL)
        except Exception:
            log.exception("the Socket Mode connection failed")
            session.close()  # the monitor then sees it closed and reconnects
        finally:
            # websocket-client leaves the TCP socket to the garbage collector after a close handshake.
            raw, self._running_socket = self._running_socket, None
            if raw is not None:
                with contextlib.suppress(OSError):
                    raw.close()


def _say_goodbye(session: Any) -> None:
    """Send a close frame and let the session's reader finish the close handshake and return. Closing
    from another thread (as the SDK does) raced the reader for Slack's close frame, and the loser then
    waited out its timeout: up to 3 s holding the message processor and every envelope behind it."""
    session.keep_running = False
    sock = session.sock
    if sock is not None:
        with contextlib.suppress(Exception):  # already gone: nothing to say goodbye to
            sock.send_close()


class SocketMode:
    """Connects with the app-level token, keeps the link up, and hands each envelope to Bolt."""

    def __init__(
        self,
        bolt_app: App,
        app_token: str,
        metrics: Metrics,
        *,
        concurrency: int = 10,
        acks_first: AcksFirst | None = None,
    ) -> None:
        self._bolt_app = bolt_app
        self._acks_first = acks_first or AcksFirst()
        self._app_token = app_token
        self._metrics = metrics
        self._client = _Client(
            app_token=app_token,
            web_client=bolt_app.client,
            ping_interval=PING_INTERVAL,
            concurrency=concurrency,
        )
        self._client.socket_mode_request_listeners.append(self._handle)  # type: ignore[arg-type]

    def start(self) -> None:
        """Open the first connection; AppTokenRefused or SocketModeUnavailable if Slack says no."""
        self._client.wss_uri = self._open_url()
        self._client.connect()

    def connected(self) -> bool:
        session = self._client.current_session
        sock = session.sock if session is not None else None
        return bool(sock is not None and sock.connected)

    def close(self) -> None:
        self._client.close()

    def _open_url(self) -> str:
        try:
            response = self._bolt_app.client.apps_connections_open(app_token=self._app_token)
        except SlackApiError as exc:
            error = str(exc.response.get("error", "unknown_error"))
            if error in TOKEN_ERRORS:
                raise AppTokenRefused(
                    f"SLACK_APP_TOKEN was refused by Slack ({error}): it wants the app-level token, "
                    "xapp-…, with the connections:write scope, from Basic Information → App-Level Tokens."
                ) from None
            raise SocketModeUnavailable(f"Slack could not open a Socket Mode connection: {error}") from None
        except OSError as exc:
            raise SocketModeUnavailable(f"could not reach Slack to open Socket Mode: {exc}") from None
        return str(response["url"])

    def _handle(self, client: SocketModeClient, req: SocketModeRequest) -> None:
        retry = str(req.retry_attempt) if req.retry_attempt else None
        with self._acks_first.ack(), accounted_request(self._metrics, log, retry=retry) as outcome:
            bind(envelope_id=req.envelope_id)
            request = BoltRequest(
                mode="socket_mode",
                body=req.payload,
                headers=build_headers(req),
                context={ENVELOPE_ID: req.envelope_id},
            )
            response = self._bolt_app.dispatch(request)
            outcome.status = response.status
            try:
                client.send_socket_mode_response(_ack(req, response))
            except Exception as exc:  # the link dropped under us: Slack sends the envelope again
                log.warning("could not acknowledge envelope %s: %s", req.envelope_id, type(exc).__name__)


def _ack(req: SocketModeRequest, response: BoltResponse) -> SocketModeResponse:
    """The ack with Bolt's answer as its payload, as Bolt's own adapter builds it; an empty ack for
    anything but a 200, since a request Bolt can't handle would not fare better delivered again."""
    if response.status != 200 or not response.body:
        return SocketModeResponse(envelope_id=req.envelope_id)
    content_type = (response.headers.get("content-type") or [""])[0]
    payload: dict[str, Any] = (
        json.loads(response.body) if content_type.startswith("application/json") else {"text": response.body}
    )
    return SocketModeResponse(envelope_id=req.envelope_id, payload=payload)
