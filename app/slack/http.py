"""HTTP mode: Slack's requests at POST /slack/events and a health check at GET /healthz, as WSGI.

Served by waitress, a production WSGI server with a pool of worker threads, so one slow request
never queues the others behind it.
"""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

from app.slack.accounting import accounted_request
from app.slack.acks_first import AcksFirst
from app.slack.metrics import Metrics

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
MAX_BODY_BYTES = 1024 * 1024  # Slack's payloads are far smaller; refuse anything silly before reading it

StartResponse = Callable[..., Any]


def create_wsgi_app(
    bolt_app: App,
    health_check: Callable[[], bool],
    metrics: Metrics | None = None,
    socket_connected: Callable[[], bool] | None = None,
    acks_first: AcksFirst | None = None,
) -> Callable[[dict[str, Any], StartResponse], Iterable[bytes]]:
    """``socket_connected`` in Socket Mode: /healthz is 200 only while the database answers and the
    WebSocket to Slack is up, since a bot without its socket hears nothing. ``acks_first`` is told of
    each Slack request until it is answered, so after-ack work waits for a burst's acks."""
    slack_handler = SlackRequestHandler(bolt_app, path=EVENTS_PATH)
    metrics = metrics or Metrics()
    acks_first = acks_first or AcksFirst()

    def handle_slack(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        retry = environ.get("HTTP_X_SLACK_RETRY_NUM")
        with acks_first.ack(), accounted_request(metrics, log, retry=retry) as outcome:

            def record_status(status_line: str, headers: Any, *args: Any) -> Any:
                outcome.status = int(status_line.split(" ", 1)[0])
                return start_response(status_line, headers, *args)

            return slack_handler(environ, record_status)

    def wsgi_app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "GET")
        if path == "/healthz" and method in ("GET", "HEAD"):
            problem = _health_problem(health_check, socket_connected)
            if problem:
                return _json(start_response, 503, {"ok": False, "error": problem})
            return _json(start_response, 200, {"ok": True})
        if path == "/metrics" and method in ("GET", "HEAD"):
            try:
                data, content_type = metrics.render()
            except Exception:  # the database is down: say so, don't crash the scrape with a traceback
                log.exception("could not collect metrics")
                return _json(start_response, 503, {"ok": False, "error": "metrics_unavailable"})
            start_response("200 OK", [("Content-Type", content_type), ("Content-Length", str(len(data)))])
            return [data]
        if path == EVENTS_PATH:
            if method != "POST":
                return _json(start_response, 405, {"ok": False, "error": "method_not_allowed"})
            try:
                length = int(environ.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > MAX_BODY_BYTES:
                return _json(start_response, 413, {"ok": False, "error": "request_too_large"})
            return handle_slack(environ, start_response)
        return _json(start_response, 404, {"ok": False, "error": "not_found"})

    return wsgi_app


def _health_problem(
    database_ok: Callable[[], bool], socket_connected: Callable[[], bool] | None
) -> str | None:
    if not _safe(database_ok):
        return "database_unavailable"
    if socket_connected is not None and not _safe(socket_connected):
        return "socket_disconnected"
    return None


def _safe(check: Callable[[], bool]) -> bool:
    try:
        return check()
    except Exception:
        log.exception("health check failed")
        return False


def _json(start_response: StartResponse, status: int, body: dict[str, Any]) -> list[bytes]:
    data = json.dumps(body).encode()
    reason = {
        200: "OK",
        404: "Not Found",
        405: "Method Not Allowed",
        413: "Payload Too Large",
        503: "Service Unavailable",
    }[status]
    start_response(
        f"{status} {reason}", [("Content-Type", "application/json"), ("Content-Length", str(len(data)))]
    )
    return [data]


class PortUnavailable(Exception):
    """The HTTP port can't be had (taken, not ours to bind, or the address isn't this machine's)."""

    def __init__(self, host: str, port: int, reason: str) -> None:
        super().__init__(f"cannot listen on {host}:{port} (PORT, HOST): {reason}")


class HttpServer:
    """waitress with a graceful stop: stop accepting, let in-flight requests finish, then close.

    ``stop()`` may be called from any thread or a signal handler; the event loop itself closes the
    sockets, so nothing is closed under its feet.
    """

    def __init__(
        self,
        wsgi_app: Callable[..., Iterable[bytes]],
        *,
        host: str,
        port: int,
        threads: int,
        listening: socket.socket | None = None,
    ) -> None:
        from waitress.server import create_server

        where: dict[str, Any] = {"sockets": [listening]} if listening else {"host": host, "port": port}
        try:
            self._server: Any = create_server(
                wsgi_app,
                **where,
                threads=threads,
                max_request_body_size=MAX_BODY_BYTES,
                ident="mentorbot",
                clear_untrusted_proxy_headers=True,
            )
        except OSError as exc:  # EADDRINUSE, EACCES, EADDRNOTAVAIL, an unknown host name
            raise PortUnavailable(host, port, exc.strerror or str(exc)) from None
        self._stopping = threading.Event()
        # stop() pulls the loop's trigger, and run() closes it: the lock keeps stop() from writing to a
        # closed (or, worse, reused) file descriptor. Reentrant, as stop() may run in a signal handler
        # that interrupted run() in the same thread.
        self._closing = threading.RLock()
        self._closed = False

    @property
    def port(self) -> int:
        return int(self._server.effective_port)

    def run(self, *, grace_seconds: float = 10.0) -> None:
        server = self._server
        while not self._stopping.is_set():
            server.asyncore.loop(timeout=0.5, map=server._map, count=1)
        server.accepting = False  # no new connections; finish what is in flight
        deadline = time.monotonic() + grace_seconds
        while self._busy() and time.monotonic() < deadline:
            server.asyncore.loop(timeout=0.05, map=server._map, count=1)
        server.task_dispatcher.shutdown(cancel_pending=True, timeout=1)
        for channel in list(server.active_channels.values()):
            channel.close()
        with self._closing:
            self._closed = True
            server.close()

    def stop(self) -> None:
        with self._closing:
            self._stopping.set()
            if not self._closed:
                self._server.pull_trigger()

    def _busy(self) -> bool:
        server = self._server
        return bool(server.task_dispatcher.queue) or any(
            channel.requests or channel.total_outbufs_len for channel in list(server.active_channels.values())
        )


def serve(
    wsgi_app: Callable[..., Iterable[bytes]],
    *,
    host: str,
    port: int,
    threads: int,
    listening: socket.socket | None = None,
) -> HttpServer:
    """Create and bind (not start) the HTTP server; the caller runs it and stops it on shutdown.
    With ``listening`` (a socket bound by ``listening_socket``, shared by worker processes) it serves
    that socket instead of binding ``host``:``port``.

    Raises PortUnavailable when the port can't be bound.
    """
    return HttpServer(wsgi_app, host=host, port=port, threads=threads, listening=listening)


def listening_socket(host: str, port: int) -> socket.socket:
    """A bound, listening TCP socket for worker processes to share (each accepts from it).

    Raises PortUnavailable when the port can't be bound.
    """
    try:
        info = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
        sock = socket.socket(info[0], socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(info[4])
        sock.listen(1024)
    except OSError as exc:
        raise PortUnavailable(host, port, exc.strerror or str(exc)) from None
    return sock
