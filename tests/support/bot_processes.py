"""Real bot processes for tests: ``python -m app run`` in a subprocess, talking to a fake Slack.

``Bots`` spawns processes (HTTP mode, a free port each, their output in a log file), waits for
``/healthz``, and stops or kills them; whatever is still running when the test ends is killed.
``HookedFakeSlack`` is the ordinary ``FakeSlack`` plus hooks that run when a Web API call arrives
(before Slack acts on it) and right after Slack acted on it (before the answer leaves), so a test can
kill a bot at an exact point of a call. It also accepts extra bot tokens, so the calls of two bot
processes can be told apart.

With ``sweep_seconds`` a bot runs through ``fast_sweeps_runner.py``: the same ``main(["run"])``, with the
scheduler's once-a-minute jobs (due coffee rounds, expiries, follow-ups) every few seconds instead.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from clocks import ProcessClock
from slack_requests import SlackSender

from app.config import Settings
from app.sandbox.standin import FakeSlack, _Answer, _Server

REPO = Path(__file__).resolve().parents[2]
RUNNER = Path(__file__).resolve().parent / "fast_sweeps_runner.py"
SIGNING_SECRET = "processes-signing-secret"

T = TypeVar("T")


def wait_until(
    predicate: Callable[[], T],
    *,
    timeout: float,
    what: str,
    interval: float = 0.02,
    details: Callable[[], str] | None = None,
) -> T:
    """Poll until ``predicate()`` is truthy and return it; on timeout fail naming ``what`` (and details)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            extra = f"\n{details()}" if details else ""
            raise AssertionError(f"timed out after {timeout}s waiting for {what}{extra}")
        time.sleep(interval)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def clean_env(**settings: str) -> dict[str, str]:
    """os.environ without anything the bot reads as a setting, plus ``settings``."""
    ours = {name.upper() for name in Settings.model_fields}
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.upper().startswith(("SLACK_", "MENTORBOT_", "LOG_")) and k.upper() not in ours
    }
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    env["PYTHONUNBUFFERED"] = "1"
    env.update(settings)
    return env


# ---- the fake, with hooks -------------------------------------------------------------------------------


class _RoomyServer(_Server):
    # socketserver's listen backlog is 5: hundreds of bot calls at once would see connection resets.
    request_queue_size = 256

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Answering a bot the test just killed: a broken pipe is expected, not worth a traceback.
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


class HookedFakeSlack(FakeSlack):
    """FakeSlack with per-method hooks and extra accepted bot tokens.

    ``on_arrival(method, hook)``: ``hook(args)`` runs when a call arrives, before any delay or effect;
    returning True loses the call (the connection is closed, Slack did nothing).
    ``after_effect(method, hook)``: ``hook(args, answer)`` runs after Slack acted (a message is posted)
    and before the answer is sent back.
    """

    def __init__(self, **kwargs: Any) -> None:
        self._arrival_hooks: dict[str, Callable[[dict[str, Any]], bool]] = {}
        self._effect_hooks: dict[str, Callable[[dict[str, Any], dict[str, Any]], None]] = {}
        self.extra_tokens: set[str] = set()
        super().__init__(**kwargs)

    def start(self) -> HookedFakeSlack:
        if self._server is None:
            self._server = _RoomyServer(self)
            self.port = self._server.server_address[1]
            self._thread = threading.Thread(
                target=self._server.serve_forever,
                kwargs={"poll_interval": 0.05},
                name=f"fakeslack-{self.port}",
                daemon=True,
            )
            self._thread.start()
        return self

    def on_arrival(self, method: str, hook: Callable[[dict[str, Any]], bool] | None) -> None:
        if hook is None:
            self._arrival_hooks.pop(method, None)
        else:
            self._arrival_hooks[method] = hook

    def after_effect(
        self, method: str, hook: Callable[[dict[str, Any], dict[str, Any]], None] | None
    ) -> None:
        if hook is None:
            self._effect_hooks.pop(method, None)
        else:
            self._effect_hooks[method] = hook

    def clear_hooks(self) -> None:
        self._arrival_hooks.clear()
        self._effect_hooks.clear()

    def _serve_api(self, method: str, query: str, headers: dict[str, str], raw: bytes) -> _Answer:
        hook = self._arrival_hooks.get(method)
        if hook is not None:
            args: dict[str, Any] = {}
            with contextlib.suppress(ValueError, UnicodeDecodeError):
                args, _ = self._parse(query, headers, raw)
            if hook(args):
                return _Answer(drop=True)
        return super()._serve_api(method, query, headers, raw)

    def _run_method(self, method: str, args: dict[str, Any], token: str | None) -> _Answer:
        if token in self.extra_tokens:
            token = self.bot_token
        answer = super()._run_method(method, args, token)
        hook = self._effect_hooks.get(method)
        if hook is not None:
            hook(args, json.loads(answer.body))
        return answer

    def ok_calls(self, method: str) -> list[Any]:
        return self.calls_to(method, ok=True)


# ---- bot processes --------------------------------------------------------------------------------------


class BotProcess:
    def __init__(
        self, name: str, popen: subprocess.Popen[bytes], port: int, log_path: Path, clock: ProcessClock
    ) -> None:
        self.name, self.popen, self.port, self.log_path = name, popen, port, log_path
        self.clock = clock

    @property
    def pid(self) -> int:
        return self.popen.pid

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def output(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def sender(self, fake: FakeSlack, *, timeout: float = 15.0) -> SlackSender:
        # Slack signs with the time the bot's clock shows (in life, both follow NTP).
        return SlackSender(
            self.base_url, SIGNING_SECRET, fake=fake, timeout=timeout, clock=lambda: self.clock().timestamp()
        )

    def alive(self) -> bool:
        return self.popen.poll() is None

    def healthy_now(self) -> bool:
        try:
            status, body = http_get(self.base_url, "/healthz")
        except OSError:
            return False
        return status == 200 and bool(json.loads(body).get("ok"))

    def wait_healthy(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive():
                raise AssertionError(f"{self.name} exited with {self.popen.returncode}:\n{self.output()}")
            try:
                status, body = http_get(self.base_url, "/healthz")
            except OSError:
                time.sleep(0.05)
                continue
            if status == 200 and json.loads(body).get("ok"):
                return
            time.sleep(0.05)
        raise AssertionError(f"{self.name}: /healthz did not answer within {timeout}s:\n{self.output()}")

    def sigterm(self) -> None:
        self.popen.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        """SIGKILL, and wait until it is gone (safe to call from any thread, and twice)."""
        if self.popen.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.popen.pid, signal.SIGKILL)
        self.popen.wait(timeout=10)

    def wait(self, timeout: float) -> int:
        try:
            return self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(
                f"{self.name} still running {timeout}s later:\n{self.output()[-5000:]}"
            ) from None


class Bots:
    """Spawns bot processes for one test, each on the test's clock; ``close()`` kills what still runs."""

    def __init__(self, workdir: Path, fake: FakeSlack, clock: ProcessClock) -> None:
        self.workdir, self.fake, self.clock = workdir, fake, clock
        self.started: list[BotProcess] = []

    def start(
        self,
        database_url: str,
        *,
        name: str | None = None,
        token: str | None = None,
        sweep_seconds: float | None = None,
        wait: bool = True,
        **settings: str,
    ) -> BotProcess:
        name = name or f"bot{len(self.started) + 1}"
        port = free_port()
        log_path = self.workdir / f"{name}.log"
        env = clean_env(
            SLACK_BOT_TOKEN=token or self.fake.bot_token,
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
            SLACK_API_URL=self.fake.api_url,
            DATABASE_URL=database_url,
            HOST="127.0.0.1",
            PORT=str(port),
            **self.clock.child_env(),
            **settings,
        )
        if sweep_seconds is not None:
            command = [sys.executable, str(RUNNER)]
            env["MENTORBOT_TEST_SWEEP_SECONDS"] = str(sweep_seconds)
        else:
            command = [sys.executable, "-m", "app", "run"]
        with log_path.open("ab") as out:
            popen = subprocess.Popen(command, cwd=self.workdir, env=env, stdout=out, stderr=subprocess.STDOUT)
        bot = BotProcess(name, popen, port, log_path, self.clock)
        self.started.append(bot)
        if wait:
            bot.wait_healthy()
        return bot

    def close(self) -> None:
        for bot in self.started:
            with contextlib.suppress(Exception):
                bot.kill()

    def outputs(self) -> str:
        return "\n".join(f"==== {b.name} (pid {b.pid}) ====\n{b.output()[-8000:]}" for b in self.started)


def http_get(base_url: str, path: str, timeout: float = 2.0) -> tuple[int, str]:
    host, port = base_url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=timeout)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        return resp.status, resp.read().decode()
    finally:
        conn.close()


# ---- reading answers ------------------------------------------------------------------------------------


def text_of(blocks: list[dict[str, Any]] | None, fallback: str | None = "") -> str:
    """All visible text of a message or response_url answer."""
    parts = [fallback or ""]

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "text" and isinstance(value, str):
                    parts.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(blocks or [])
    return "\n".join(p for p in parts if p)


def answer_text(response: Any) -> str:
    """The text of a response_url post (a ``ResponsePost`` from the fake)."""
    return text_of(response.blocks, response.text)


def slot_buttons(blocks: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    return [
        e
        for b in blocks or []
        if b.get("type") == "actions"
        for e in b.get("elements", [])
        if str(e.get("action_id", "")).startswith("pick_slot")
    ]


def slot_key(button: dict[str, Any]) -> tuple[str, int]:
    """(mentor, start as epoch seconds) of a slot button."""
    value = json.loads(button["value"])
    return str(value["m"]), int(value["s"])


def log_problems(text: str) -> list[str]:
    """Lines of a bot's output that show a traceback, a locked database or an error-level line."""
    bad = []
    for line in text.splitlines():
        lowered = line.lower()
        if (
            "traceback" in lowered
            or "database is locked" in lowered
            or '"level": "error"' in lowered
            or '"level": "critical"' in lowered
            or " ERROR " in line
            or " CRITICAL " in line
        ):
            bad.append(line[:2000])
    return bad
