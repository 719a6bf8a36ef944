"""Slack's end of Socket Mode, on 127.0.0.1, beside a FakeSlack that hands out its URLs.

The protocol, as Slack documents it (docs.slack.dev/apis/events-api/using-socket-mode):
- the app calls ``apps.connections.open`` with its app-level token and gets a one-time ``wss://`` URL
  (here ``ws://127.0.0.1:<port>/link/?ticket=…``); on connecting it is sent a ``hello``;
- each request comes as an envelope ``{"envelope_id", "type": "slash_commands" | "interactive" |
  "events_api", "payload", "accepts_response_payload", "retry_attempt", "retry_reason"}``, which the app
  acks by sending back ``{"envelope_id", "payload"?}``; an envelope not acked in time (3 s) is delivered
  again, with the same envelope_id and ``retry_attempt`` + 1, ``retry_reason: "timeout"``;
- Slack asks for a new connection with ``{"type": "disconnect", "reason": "refresh_requested"}`` and
  closes the old one a little later; connections can also just drop.

``socket_requests.SocketSender`` sends the HTTP tests' own requests through it as envelopes.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import secrets
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import parse_qs, urlsplit

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import Server, ServerConnection, serve

from app.sandbox.standin import FakeSlack

ACK_TIMEOUT_SECONDS = 3.0  # "Your app must respond ... within 3 seconds" (Socket Mode and HTTP alike)
MAX_ATTEMPTS = 4  # the first delivery and Slack's three retries (Events API "retry_attempt" up to 3)


@dataclass
class Envelope:
    type: str
    payload: dict[str, Any]
    accepts_response_payload: bool
    envelope_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    retry_attempt: int = 0
    retry_reason: str = ""

    def message(self) -> dict[str, Any]:
        return {
            "envelope_id": self.envelope_id,
            "type": self.type,
            "payload": self.payload,
            "accepts_response_payload": self.accepts_response_payload,
            "retry_attempt": self.retry_attempt,
            "retry_reason": self.retry_reason,
        }


@dataclass
class Ack:
    envelope_id: str
    payload: dict[str, Any] | None
    seconds: float  # from the (latest) delivery of the envelope to this ack
    link: int
    lost: bool = False  # the stand-in threw it away, as if it never arrived


@dataclass
class Delivery:
    envelope: Envelope
    link: int
    sent_at: float


@dataclass
class Link:
    """One WebSocket connection from the app."""

    number: int
    connection: ServerConnection
    opened_at: float
    hello_at: float | None = None
    closed_at: float | None = None
    retiring: bool = False  # sent a disconnect: Slack sends it nothing more
    dropped_at: float | None = None
    refresh_requested_at: float | None = None

    @property
    def open(self) -> bool:
        return self.closed_at is None


@dataclass
class _Pending:
    envelope: Envelope
    sent_at: float | None = None  # None: waiting for a connection
    acked: bool = False


class _Relay:
    """A TCP relay in front of the server that can go silent: forward nothing and close nothing, as a
    connection does when the network path dies without a FIN (only pings can tell)."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.listener.getsockname()[1])
        self.silent: list[threading.Event] = []  # one per relayed connection, newest last
        threading.Thread(target=self._accept, name="fake-socket-relay", daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return  # closed
            server = socket.create_connection(("127.0.0.1", self.target_port))
            silent = threading.Event()
            self.silent.append(silent)
            for src, dst in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(src, dst, silent), daemon=True).start()

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket, silent: threading.Event) -> None:
        with contextlib.suppress(OSError):
            while data := src.recv(65536):
                if not silent.is_set():
                    dst.sendall(data)
        for sock in (src, dst):  # one side closed: close the other, as the network would
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self.listener.close()


class FakeSocketMode:
    """Start it (or use it as a context manager) beside a started FakeSlack. With ``relay`` the app
    connects through a relay, so ``go_silent()`` can cut a connection without closing it."""

    def __init__(
        self, fake: FakeSlack, *, ack_timeout: float = ACK_TIMEOUT_SECONDS, relay: bool = False
    ) -> None:
        self.fake = fake
        self.ack_timeout = ack_timeout
        self._use_relay = relay
        self._relay: _Relay | None = None
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._tickets: set[str] = set()
        self._numbers = itertools.count(1)
        self._server: Server | None = None
        self._threads: list[threading.Thread] = []
        self._stopping = threading.Event()
        self.links: list[Link] = []
        self.deliveries: list[Delivery] = []
        self.acks: list[Ack] = []
        self.refused_tickets = 0
        self._pending: dict[str, _Pending] = {}
        self._lose_acks: dict[str, int] = {}
        self._drop_on_lost_ack: set[str] = set()

    # ---- lifecycle ---------------------------------------------------------------------------------------

    def start(self) -> FakeSocketMode:
        self._server = serve(self._serve, "127.0.0.1", 0, ping_interval=None, close_timeout=1)
        self.port = int(self._server.socket.getsockname()[1])
        self._threads = [
            threading.Thread(target=self._server.serve_forever, name="fake-socket-mode", daemon=True),
            threading.Thread(target=self._redeliver_loop, name="fake-socket-mode-retries", daemon=True),
        ]
        for thread in self._threads:
            thread.start()
        if self._use_relay:
            self._relay = _Relay(self.port)
        self.fake.socket_mode_url = self.issue_url
        return self

    def stop(self) -> None:
        self.fake.socket_mode_url = None
        self._stopping.set()
        if self._relay is not None:
            self._relay.close()
        for link in list(self.links):
            with contextlib.suppress(Exception):
                link.connection.close()
        if self._server is not None:
            self._server.shutdown()
        for thread in self._threads:
            thread.join(timeout=5)

    def __enter__(self) -> FakeSocketMode:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def issue_url(self) -> str:
        """What apps.connections.open answers: a URL with a ticket good for one connection."""
        ticket = secrets.token_hex(8)
        with self._lock:
            self._tickets.add(ticket)
        port = self._relay.port if self._relay is not None else self.port
        return f"ws://127.0.0.1:{port}/link/?ticket={ticket}&app_id={self.fake.app_id}"

    # ---- what Slack does ---------------------------------------------------------------------------------

    def deliver(self, envelope: Envelope) -> Envelope:
        """Send an envelope on the current connection (or on the next one, if there is none now)."""
        with self._lock:
            pending = _Pending(envelope)
            self._pending[envelope.envelope_id] = pending
            self._send(pending)
        return envelope

    def lose_next_ack(self, envelope_id: str, *, drop_with_it: bool = False) -> None:
        """The next ack for this envelope never arrives: Slack delivers it again after the ack timeout,
        as it would when an ack was lost on the way. ``drop_with_it``: the connection the ack came on
        drops right then (TCP closed, no close frame), as when the ack was lost with its connection."""
        with self._lock:
            self._lose_acks[envelope_id] = self._lose_acks.get(envelope_id, 0) + 1
            if drop_with_it:
                self._drop_on_lost_ack.add(envelope_id)

    def refresh(self) -> Link:
        """``disconnect`` / ``refresh_requested`` on the current connection; it is closed once the app
        has a new one (or after 10 s, as Slack does). Returns the link asked to go."""
        link = self.wait_connected()
        with self._lock:
            link.retiring, link.refresh_requested_at = True, time.monotonic()
        message = {"type": "disconnect", "reason": "refresh_requested", "debug_info": {"host": "fake"}}
        link.connection.send(json.dumps(message))
        return link

    def drop(self) -> Link:
        """Close the current connection abruptly: the TCP connection ends, no close frame is sent."""
        link = self.wait_connected()
        with self._lock:
            link.retiring = True
            link.dropped_at = time.monotonic()
        link.connection.socket.shutdown(socket.SHUT_RDWR)
        return link

    def go_silent(self) -> Link:
        """(With ``relay``.) The current connection stops carrying anything, pongs included, and stays
        open: the app must notice by itself."""
        assert self._relay is not None, "go_silent needs FakeSocketMode(relay=True)"
        link = self.wait_connected()
        with self._lock:
            link.retiring, link.dropped_at = True, time.monotonic()
        self._relay.silent[-1].set()
        return link

    # ---- what a test reads -------------------------------------------------------------------------------

    def current(self) -> Link | None:
        with self._lock:
            live = [link for link in self.links if link.open and link.hello_at and not link.retiring]
            return live[-1] if live else None

    def wait_connected(self, *, after: Link | None = None, timeout: float = 10.0) -> Link:
        """The current connection (one newer than ``after``, if given), once it has been sent hello."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                link = self.current()
                if link is not None and (after is None or link.number > after.number):
                    return link
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no Socket Mode connection within {timeout}s: {self.links}")
                self._changed.wait(min(left, 0.05))

    def wait_closed(self, link: Link, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        with self._changed:
            while link.open:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"link {link.number} still open after {timeout}s")
                self._changed.wait(min(left, 0.05))

    def acks_for(self, envelope_id: str) -> list[Ack]:
        with self._lock:
            return [ack for ack in self.acks if ack.envelope_id == envelope_id and not ack.lost]

    def deliveries_of(self, envelope_id: str) -> list[Delivery]:
        with self._lock:
            return [d for d in self.deliveries if d.envelope.envelope_id == envelope_id]

    def wait_ack(self, envelope_id: str, timeout: float = 10.0) -> Ack:
        deadline = time.monotonic() + timeout
        with self._changed:
            while not self.acks_for(envelope_id):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"envelope {envelope_id} not acked within {timeout}s")
                self._changed.wait(min(left, 0.05))
            return self.acks_for(envelope_id)[0]

    # ---- the server side ---------------------------------------------------------------------------------

    def _serve(self, connection: ServerConnection) -> None:
        query = parse_qs(urlsplit(connection.request.path if connection.request else "").query)
        ticket = (query.get("ticket") or [""])[0]
        with self._lock:
            known = ticket in self._tickets
            self._tickets.discard(ticket)  # each URL is good for one connection
            if not known:
                self.refused_tickets += 1
        if not known:
            connection.close(code=1008, reason="invalid ticket")
            return
        link = Link(next(self._numbers), connection, time.monotonic())
        with self._changed:
            self.links.append(link)
            hello = {
                "type": "hello",
                "num_connections": sum(1 for other in self.links if other.open),
                "debug_info": {
                    "host": "fake-applink",
                    "build_number": 1,
                    "approximate_connection_time": 3600,
                },
                "connection_info": {"app_id": self.fake.app_id},
            }
            connection.send(json.dumps(hello))
            link.hello_at = time.monotonic()
            for earlier in self.links:  # a refreshed connection goes once its successor is up
                if earlier.retiring and earlier.open and earlier.dropped_at is None:
                    threading.Thread(target=earlier.connection.close, daemon=True).start()
            for pending in self._pending.values():
                if not pending.acked and pending.sent_at is None:
                    self._send(pending)
            self._changed.notify_all()
        try:
            for raw in connection:
                self._receive(link, raw)
        except ConnectionClosed:
            pass
        finally:
            with self._changed:
                link.closed_at = time.monotonic()
                self._changed.notify_all()

    def _receive(self, link: Link, raw: str | bytes) -> None:
        try:
            message = json.loads(raw)
        except ValueError:
            return
        envelope_id = message.get("envelope_id") if isinstance(message, dict) else None
        if not envelope_id:
            return
        with self._changed:
            pending = self._pending.get(envelope_id)
            sent_at = pending.sent_at if pending is not None and pending.sent_at else time.monotonic()
            lost = self._lose_acks.get(envelope_id, 0) > 0
            if lost:
                self._lose_acks[envelope_id] -= 1
                if envelope_id in self._drop_on_lost_ack:
                    self._drop_on_lost_ack.discard(envelope_id)
                    link.retiring, link.dropped_at = True, time.monotonic()
                    link.connection.socket.shutdown(socket.SHUT_RDWR)
            elif pending is not None:
                pending.acked = True
            self.acks.append(
                Ack(envelope_id, message.get("payload"), time.monotonic() - sent_at, link.number, lost=lost)
            )
            self._changed.notify_all()

    def _send(self, pending: _Pending) -> None:
        """Under the lock: put the envelope on the current link, or leave it for the next one."""
        link = self.current()
        if link is None:
            pending.sent_at = None
            return
        pending.sent_at = time.monotonic()
        self.deliveries.append(Delivery(replace(pending.envelope), link.number, pending.sent_at))
        with contextlib.suppress(ConnectionClosed):  # it went nowhere: the timeout delivers it again
            link.connection.send(json.dumps(pending.envelope.message()))

    def _redeliver_loop(self) -> None:
        while not self._stopping.wait(0.02):
            now = time.monotonic()
            with self._lock:
                for pending in self._pending.values():
                    envelope = pending.envelope
                    due = pending.sent_at is not None and now - pending.sent_at >= self.ack_timeout
                    if not pending.acked and due and envelope.retry_attempt + 1 < MAX_ATTEMPTS:
                        envelope.retry_attempt += 1
                        envelope.retry_reason = "timeout"
                        self._send(pending)
