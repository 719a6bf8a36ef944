"""HTTP mode: Slack's requests at POST /slack/events and a health check at GET /healthz, as WSGI.

Served by waitress, a production WSGI server with a pool of worker threads, so one slow request
never queues the others behind it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
MAX_BODY_BYTES = 1024 * 1024  # Slack's payloads are far smaller; refuse anything silly before reading it

StartResponse = Callable[..., Any]


def create_wsgi_app(
    bolt_app: App, health_check: Callable[[], bool]
) -> Callable[[dict[str, Any], StartResponse], Iterable[bytes]]:
    slack_handler = SlackRequestHandler(bolt_app, path=EVENTS_PATH)

    def wsgi_app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "GET")
        if path == "/healthz" and method in ("GET", "HEAD"):
            healthy = _safe(health_check)
            return _json(start_response, 200 if healthy else 503, {"ok": healthy})
        if path == EVENTS_PATH:
            if method != "POST":
                return _json(start_response, 405, {"ok": False, "error": "method_not_allowed"})
            try:
                length = int(environ.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > MAX_BODY_BYTES:
                return _json(start_response, 413, {"ok": False, "error": "request_too_large"})
            return slack_handler(environ, start_response)
        return _json(start_response, 404, {"ok": False, "error": "not_found"})

    return wsgi_app


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


def serve(wsgi_app: Callable[..., Iterable[bytes]], *, host: str, port: int, threads: int) -> Any:
    """Create (not start) a waitress server; the caller runs it and closes it on shutdown."""
    from waitress.server import create_server

    return create_server(
        wsgi_app,
        host=host,
        port=port,
        threads=threads,
        max_request_body_size=MAX_BODY_BYTES,
        ident="mentorbot",
        clear_untrusted_proxy_headers=True,
    )
