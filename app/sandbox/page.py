"""The sandbox's web page and its JSON endpoints, served by the standard library on 127.0.0.1 only."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

from app.sandbox.session import Sandbox

STATIC = {
    "/": ("index.html", "text/html; charset=utf-8"),
    "/sandbox.js": ("sandbox.js", "text/javascript; charset=utf-8"),
    "/blockkit.js": ("blockkit.js", "text/javascript; charset=utf-8"),
    "/sandbox.css": ("sandbox.css", "text/css; charset=utf-8"),
}
CLOCK_STEPS = {"hour": timedelta(hours=1), "day": timedelta(days=1)}


class PageServer:
    """The page on 127.0.0.1. The port is bound first of all (``OSError`` when taken), so a taken port is
    said at once, before the workspace is built; requests are served from ``start(sandbox)`` on."""

    def __init__(self, *, port: int) -> None:
        self._server = ThreadingHTTPServer(("127.0.0.1", port), _Handler)
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self, sandbox: Sandbox) -> PageServer:
        self.sandbox = sandbox
        self._server.sandbox = sandbox  # type: ignore[attr-defined]
        self._thread = threading.Thread(target=self._server.serve_forever, name="sandbox-page", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
        self._server.server_close()


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass

    @property
    def sandbox(self) -> Sandbox:
        return self.server.sandbox  # type: ignore[attr-defined]

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        if url.path in STATIC:
            name, kind = STATIC[url.path]
            self._send(200, (files("app.sandbox") / "static" / name).read_bytes(), kind)
        elif url.path == "/api/people":
            channels = {c.id: c.name for c in list(self.sandbox.fake.channels.values()) if not c.is_im}
            people, now = self.sandbox.people(), self.sandbox.clock().isoformat()
            self._json({"people": people, "channels": channels, "now": now})
        elif url.path == "/api/seen":
            self._json(self.sandbox.seen_by(query.get("user", "")))
        elif url.path == "/api/calls":
            self._json({"calls": self.sandbox.calls(int(query.get("since", "0") or 0))})
        elif url.path.startswith("/files/"):
            found = self.sandbox.file(url.path.removeprefix("/files/"))
            if found is None:
                self._send(404, b"no such file", "text/plain")
                return
            name, content = found
            kind = "text/calendar" if name.endswith(".ics") else "text/plain; charset=utf-8"
            self._send(200, content, kind, {"Content-Disposition": f"inline; filename*=UTF-8''{quote(name)}"})
        else:
            self._send(404, b"not found", "text/plain")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        try:
            body = json.loads(self.rfile.read(length) or b"{}")
        except ValueError:
            self._json({"error": "not JSON"}, 400)
            return
        path = urlsplit(self.path).path
        sandbox = self.sandbox
        if path == "/api/command":
            reply = sandbox.command(str(body["user"]), str(body.get("text", "")))
        elif path == "/api/action":
            reply = sandbox.action(str(body["user"]), dict(body["where"]), dict(body["action"]))
        elif path == "/api/submit":
            reply = sandbox.submit(str(body["user"]), str(body["view_id"]), dict(body.get("values") or {}))
        elif path == "/api/home":
            reply = sandbox.open_home(str(body["user"]))
        elif path == "/api/close":
            sandbox.close(str(body["view_id"]))
            self._json({"ok": True})
            return
        elif path == "/api/clock":
            step = str(body.get("by", ""))
            if step == "coffee":
                sandbox.clock.set(_next_coffee_round(sandbox))
                sandbox.run_due_work()
            elif step in CLOCK_STEPS:
                sandbox.move_clock(CLOCK_STEPS[step])
            else:
                self._json({"error": "by: hour, day or coffee"}, 400)
                return
            sandbox.wait_idle()
            self._json({"ok": True, "now": sandbox.clock().isoformat()})
            return
        elif path == "/api/run-due":
            failed = sandbox.run_due_work()
            sandbox.wait_idle()
            self._json({"ok": not failed, "failed": failed})
            return
        elif path == "/api/idle":
            self._json({"idle": sandbox.wait_idle(float(body.get("timeout", 10)))})
            return
        else:
            self._json({"error": "not found"}, 404)
            return
        sandbox.wait_idle()
        try:
            answer = json.loads(reply.body) if reply.body.strip() else None
        except ValueError:
            answer = reply.body
        self._json({"status": reply.status, "answer": answer})

    def _json(self, payload: Any, status: int = 200) -> None:
        self._send(status, json.dumps(payload).encode(), "application/json")

    def _send(self, status: int, body: bytes, kind: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


def _next_coffee_round(sandbox: Sandbox) -> Any:
    """A minute after the soonest round any pool has scheduled (its own day, time and zone); a week on
    when no pool has one."""
    due = sandbox.next_coffee_round()
    return due + timedelta(minutes=1) if due is not None else sandbox.clock() + timedelta(days=7)
