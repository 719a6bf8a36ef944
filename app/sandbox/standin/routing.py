"""HTTP plumbing and request routing: /api/<method>, response_url posts, file uploads."""

from __future__ import annotations

import contextlib
import json
import socket
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from app.sandbox.standin.common import (
    _JSON_ARGS,
    APP_TOKEN_METHODS,
    RESPONSE_URL_MAX_USES,
    Call,
    ResponsePost,
    SlackError,
    _Answer,
    _Fault,
    _json_answer,
)
from app.sandbox.standin.webapi import _WebApi

# ----------------------------------------------------------------------------------------------------------
# HTTP plumbing
# ----------------------------------------------------------------------------------------------------------


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    request_queue_size = 256  # many bot threads (or processes) at once must not see "connection reset"

    def __init__(self, fake: _Routing) -> None:
        self.fake = fake
        super().__init__(("127.0.0.1", 0), _Handler)


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # silence the default stderr log
        pass

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def _dispatch(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        answer = self.server.fake._serve(self.command, self.path, dict(self.headers.items()), raw)
        if answer.drop:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.content_type)
        self.send_header("Content-Length", str(len(answer.body)))
        for name, value in answer.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(answer.body)


# ----------------------------------------------------------------------------------------------------------
# The fake
# ----------------------------------------------------------------------------------------------------------


class _Routing(_WebApi):
    def _serve(self, verb: str, path: str, headers: dict[str, str], raw: bytes) -> _Answer:
        try:
            return self._route(verb, path, headers, raw)
        except Exception as exc:  # a bug in the fake: say so loudly instead of dropping the connection
            with self._lock:
                self.crashes.append(f"{verb} {path}: {exc!r}")
            return _json_answer({"ok": False, "error": "internal_error", "fake_crash": repr(exc)}, 500)

    def _route(self, verb: str, path: str, headers: dict[str, str], raw: bytes) -> _Answer:
        parts = urlsplit(path)
        if parts.path.startswith("/api/"):
            return self._serve_api(parts.path[len("/api/") :], parts.query, headers, raw)
        if parts.path.startswith("/response/") and verb == "POST":
            return self._serve_response_url(parts.path[len("/response/") :], raw)
        if parts.path.startswith("/upload/") and verb == "POST":
            return self._serve_upload(parts.path[len("/upload/") :], raw)
        return _Answer(404, b"Not Found", "text/plain")

    def _take_fault(self, method: str) -> _Fault | None:
        with self._lock:
            queue = self._faults.get(method)
            if not queue:
                return None
            fault = queue[0]
            fault.remaining -= 1
            if fault.remaining <= 0:
                queue.popleft()
            return fault

    def _fault_answer(self, method: str, fault: _Fault) -> _Answer:
        if fault.kind == "drop":
            return _Answer(drop=True)
        headers = {}
        if fault.status == 429:
            headers["Retry-After"] = str(fault.retry_after)
            with self._lock:
                self.rate_limited_count[method] += 1
        return _json_answer({"ok": False, "error": fault.error}, fault.status, headers)

    def _parse(self, query: str, headers: dict[str, str], raw: bytes) -> tuple[dict[str, Any], bool]:
        """Arguments from query string and body; returns (args, body_was_json)."""
        args: dict[str, Any] = {k: v[-1] for k, v in parse_qs(query, keep_blank_values=True).items()}
        content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
        is_json = content_type.split(";")[0].strip().lower() == "application/json"
        if raw:
            if is_json:
                body = json.loads(raw.decode("utf-8"))
                if not isinstance(body, dict):
                    raise ValueError("JSON body must be an object")
                args.update(body)
            else:
                text = raw.decode("utf-8")
                args.update({k: v[-1] for k, v in parse_qs(text, keep_blank_values=True).items()})
        for key in _JSON_ARGS & args.keys():
            if isinstance(args[key], str):
                # Undecodable values stay strings; the method answers invalid_blocks_format etc.
                with contextlib.suppress(json.JSONDecodeError):
                    args[key] = json.loads(args[key])
        return args, is_json

    def _serve_api(self, method: str, query: str, headers: dict[str, str], raw: bytes) -> _Answer:
        arrived = time.time()
        header_auth = next((v for k, v in headers.items() if k.lower() == "authorization"), "")
        try:
            args, is_json = self._parse(query, headers, raw)
        except (ValueError, UnicodeDecodeError):
            answer = _json_answer({"ok": False, "error": "invalid_json"})
            self._record(method, {}, arrived, None, answer)
            return answer
        # Token: "passed as an HTTP Authorization header or alternatively, as a POST parameter" (every
        # method's token argument). JSON bodies must use the header (docs.slack.dev/apis/web-api,
        # "JSON-encoded bodies"), so a token inside a JSON body is not read.
        body_token = args.pop("token", None)
        token = header_auth[len("Bearer ") :].strip() if header_auth.startswith("Bearer ") else None
        if token is None and not is_json:
            token = body_token

        delay = self._delays.get(method)
        if delay:
            time.sleep(delay)
        fault = self._take_fault(method)
        if fault is not None and not (fault.kind == "drop" and fault.after_processing):
            answer = self._fault_answer(method, fault)
            self._record(method, args, arrived, token, answer)
            return answer

        answer = self._run_method(method, args, token)
        self._record(method, args, arrived, token, answer)
        if fault is not None:  # a drop after processing: the effect happened, the answer is lost
            return _Answer(drop=True)
        return answer

    def _run_method(self, method: str, args: dict[str, Any], token: str | None) -> _Answer:
        handler = self._methods.get(method)
        if handler is None:
            return _json_answer({"ok": False, "error": "unknown_method", "req_method": method})
        if not token:
            return _json_answer({"ok": False, "error": "not_authed"})
        expected = self.app_token if method in APP_TOKEN_METHODS else self.bot_token
        if token != expected:
            # An app-level (xapp-) token where a bot token belongs, or the other way round, is the wrong
            # type (apps.connections.open: "not_allowed_token_type"); an unknown token of the right type
            # is invalid_auth.
            wrong_type = token.startswith("xapp-") != expected.startswith("xapp-")
            return _json_answer(
                {"ok": False, "error": "not_allowed_token_type" if wrong_type else "invalid_auth"}
            )
        with self._lock:
            limit = self._rate_limits.get(method)
            if limit is not None:
                key = str(args.get("channel") or args.get("channel_id") or "") if limit.per_channel else ""
                retry_after = limit.take(key, time.monotonic())
                if retry_after is not None:
                    self.rate_limited_count[method] += 1
                    return _json_answer(
                        {"ok": False, "error": "ratelimited"}, 429, {"Retry-After": str(retry_after)}
                    )
            try:
                return _json_answer({"ok": True, **handler(args)})
            except SlackError as e:
                return _json_answer({"ok": False, "error": e.error, **e.extra})

    def _record(
        self, method: str, args: dict[str, Any], arrived: float, token: str | None, answer: _Answer
    ) -> None:
        response = None if answer.drop else json.loads(answer.body)
        call = Call(method, args, arrived, token, 0 if answer.drop else answer.status, response)
        with self._lock:
            self.calls.append(call)

    def _serve_response_url(self, key: str, raw: bytes) -> _Answer:
        arrived = time.time()
        fault = self._take_fault("response_url")
        if fault is not None:
            return self._fault_answer("response_url", fault)
        try:
            body = json.loads(raw.decode("utf-8") or "{}")
        except (ValueError, UnicodeDecodeError):
            body = None
        if not isinstance(body, dict):
            # Incoming-webhook style plain-text error
            # (docs.slack.dev/messaging/sending-messages-using-incoming-webhooks, "Handling errors").
            return _Answer(400, b"invalid_payload", "text/plain")
        with self._lock:
            used = sum(1 for r in self.responses if r.key == key and r.status == 200)
            if key in self._expired_response_keys:
                status, answer = 404, {"ok": False, "error": "expired_url"}
            elif used >= RESPONSE_URL_MAX_USES:
                status, answer = 404, {"ok": False, "error": "used_url"}
            else:
                # Slack answers a good response_url POST with HTTP 200; slack_sdk's WebhookClient and
                # Bolt's respond() only look at the status. The body has been both plain "ok" and
                # {"ok":true} over the years; we answer the JSON form.
                status, answer = 200, {"ok": True}
            post = ResponsePost(key, body, arrived, status)
            self.responses.append(post)
            if status == 200 and key in self._response_originals:
                self._apply_to_original(self._response_originals[key], post)
        return _json_answer(answer, status)

    def _apply_to_original(self, original: tuple[str, str], post: ResponsePost) -> None:
        """A response_url POST acting on the message it came from (Slack's replace_original and
        delete_original); a message already deleted is left alone. Called under the lock."""
        channel, ts = original
        try:
            message = self._find_message(channel, ts)
        except SlackError:
            return
        if post.delete_original:
            self._messages[channel].remove(message)
        elif post.replace_original:
            message["text"] = post.text or ""
            if post.blocks is not None:
                message["blocks"] = post.blocks
            else:
                message.pop("blocks", None)
            message["edited"] = {"user": self.bot_user_id, "ts": self._new_ts()}

    def _serve_upload(self, file_id: str, raw: bytes) -> _Answer:
        fault = self._take_fault("upload")
        if fault is not None:
            return self._fault_answer("upload", fault)
        with self._lock:
            record = self.files.get(file_id)
            if record is None:
                return _Answer(404, b"Not Found", "text/plain")
            record["content"] = raw
            record["uploaded"] = True
        # files.slack.com answers an upload with 200 and a plain-text "OK - <bytes>".
        return _Answer(200, f"OK - {len(raw)}".encode(), "text/plain; charset=utf-8")
