"""The command line: ``mentorbot run | migrate | import-members | sandbox``: parsing and start-up order."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from types import FrameType
from typing import TYPE_CHECKING

from app.config import DatabaseSettings, Settings, SettingsError, load_settings
from app.logs import configure_logging

if TYPE_CHECKING:  # imported when needed: `migrate` and `--version` stay quick
    from app.bootstrap import Bot
    from app.slack.http import HttpServer

EXIT_CONFIG = 2

log = logging.getLogger("mentorbot")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="mentorbot", description="Micro-mentoring and coffee roulette for Slack."
    )
    parser.add_argument("--version", action="version", version=f"mentorbot {_version()}")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser(
        "run", help="upgrade the database, then serve Slack (HTTP, or Socket Mode with SLACK_APP_TOKEN)"
    )
    sub.add_parser("migrate", help="upgrade the database to the latest revision, then exit")
    importer = sub.add_parser(
        "import-members", help="import team and level per person from a CSV file (needs only DATABASE_URL)"
    )
    importer.add_argument(
        "csv_file", help="rows of: Slack user ID, team, level (1-5 or junior..principal); as Excel saves it"
    )
    programs = sub.add_parser(
        "program-import", help="add applicants to a program's current wave from a CSV file (needs Slack)"
    )
    programs.add_argument("program", help="the program's name, quoted if it has spaces")
    programs.add_argument(
        "csv_file", help="rows of: Slack user ID, role (mentor|mentee), team, level, interests"
    )
    sub.add_parser(
        "sandbox",
        help="try the bot in a browser: a local stand-in for Slack, a sample workspace, a page on 127.0.0.1 "
        "(SANDBOX_PORT, default 3000; SQLite in ./mentorbot-sandbox.sqlite3 unless DATABASE_URL)",
    )
    args = parser.parse_args(argv)

    # Settings aren't loaded yet: log as the environment asks until they are.
    configure_logging(fmt=_env_choice("LOG_FORMAT", ("json", "text")))
    if args.command == "migrate":
        return _migrate()
    if args.command == "import-members":
        return _import_members(args.csv_file)
    if args.command == "program-import":
        return _program_import(args.program, args.csv_file)
    if args.command == "sandbox":
        return _sandbox()
    return _run()


def _sandbox() -> int:
    from app.sandbox.cli import run_sandbox

    return run_sandbox(_MainThreadEvent)


def _version() -> str:
    try:
        return version("mentorbot")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"


def _env_choice(name: str, choices: tuple[str, ...]) -> str | None:
    value = os.environ.get(name, "").strip().lower()
    return value if value in choices else None


def _fail(message: str, status: int = EXIT_CONFIG) -> int:
    print(f"mentorbot: {message}", file=sys.stderr)
    return status


def _configure_logging(settings: DatabaseSettings) -> None:
    secrets: list[str] = []
    if isinstance(settings, Settings):
        tokens = [settings.slack_bot_token, settings.slack_signing_secret, settings.slack_app_token]
        secrets = [token.get_secret_value() for token in tokens if token is not None]
    configure_logging(
        fmt=settings.log_format, level=logging.getLevelName(settings.log_level), secrets=secrets
    )


def _database_settings() -> DatabaseSettings | int:
    """migrate and import-members need only the database, not the Slack tokens."""
    try:
        settings = load_settings(DatabaseSettings)
    except SettingsError as exc:
        return _fail(f"could not upgrade the database: {exc}")
    _configure_logging(settings)
    return settings


def _migrate(url: str | None = None) -> int:
    from app.db.migrate import describe_url, upgrade_to_head

    if url is None:
        settings = _database_settings()
        if isinstance(settings, int):
            return settings
        url = settings.database_url
    try:
        upgrade_to_head(url)
    except Exception as exc:  # a clear line, not a traceback
        reason = f"{type(exc).__name__}: {exc}".splitlines()[0]
        return _fail(f"could not upgrade the database at DATABASE_URL={describe_url(url)}: {reason}", 1)
    return 0


def _import_members(path: str) -> int:
    from app.bootstrap import create_member_importer
    from app.db.engine import create_db_engine
    from app.members_import import read_members_file

    settings = _database_settings()
    if isinstance(settings, int):
        return settings
    try:
        report = read_members_file(path)
    except OSError as exc:
        return _fail(f"cannot read {path}: {exc.strerror or exc}")
    for problem in report.problems:
        print(f"{path}: {problem}", file=sys.stderr)
    status = _migrate(settings.database_url)
    if status:
        return status
    engine = create_db_engine(settings.database_url)
    try:
        count = create_member_importer(engine, settings).import_members(report.rows)
    finally:
        engine.dispose()
    print(report.summary(count))
    return 1 if report.problems else 0


def _program_import(program: str, path: str) -> int:
    """Rows for people not in the workspace (users.info user_not_found) or with a bad field are
    reported and skipped; the rest join the program's current wave."""
    from app.bootstrap import create_services
    from app.db.engine import create_db_engine
    from app.domain.errors import DomainError

    try:
        settings = load_settings(Settings)
    except SettingsError as exc:
        return _fail(f"cannot import: {exc}")
    _configure_logging(settings)
    try:
        with open(path, encoding="utf-8-sig") as handle:
            text = handle.read()
    except OSError as exc:
        return _fail(f"cannot read {path}: {exc.strerror or exc}")
    status = _migrate(settings.database_url)
    if status:
        return status
    engine = create_db_engine(settings.database_url)
    try:
        report = create_services(engine, settings).programs.import_csv(None, program, text)
    except DomainError as exc:
        return _fail(exc.message, 1)
    finally:
        engine.dispose()
    for problem in report.skipped:
        print(f"{path}: {problem}", file=sys.stderr)
    added, skipped = report.added, len(report.skipped)
    print(
        f"added {added} applicant{'' if added == 1 else 's'}; "
        f"skipped {skipped} row{'' if skipped == 1 else 's'}"
    )
    return 1 if report.skipped else 0


class _MainThreadEvent(threading.Event):
    """An event the main thread can wait on without missing a signal: it waits in short slices.

    CPython runs a signal handler in the main thread when that thread next runs bytecode. When the kernel
    hands SIGTERM to another thread (any thread may take it), a main thread blocked in a bare lock wait is
    not woken, never runs the handler, and the bot ignored SIGTERM (seen once in CI, in Socket Mode).
    """

    SLICE_SECONDS = 0.2

    def wait(self, timeout: float | None = None) -> bool:
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = self.SLICE_SECONDS if deadline is None else deadline - time.monotonic()
            if left <= 0:
                return self.is_set()
            if super().wait(min(left, self.SLICE_SECONDS)):
                return True


class _Stopping:
    """SIGTERM/SIGINT: set ``event`` and run what was registered (the HTTP server's graceful stop).

    The signal handler only sets the event: it runs in the main thread between any two bytecodes, so
    logging or stopping a server from it could wait on a lock the interrupted code holds. A thread of its
    own does the rest once the event is set.
    """

    def __init__(self) -> None:
        self.event = _MainThreadEvent()
        self._signal = 0
        self._callbacks: list[Callable[[], None]] = []
        self._lock = threading.Lock()
        threading.Thread(target=self._relay, name="stopping", daemon=True).start()
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGINT, self._on_signal)

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        self._signal = signum
        self.event.set()

    def _relay(self) -> None:
        self.event.wait()
        log.info("signal %s: stopping", self._signal)
        with self._lock:
            callbacks, self._callbacks = self._callbacks, []
        for callback in callbacks:
            callback()

    def on_stop(self, callback: Callable[[], None]) -> None:
        with self._lock:
            if not self.event.is_set():
                self._callbacks.append(callback)
                return
        callback()  # already stopping


def _run() -> int:
    try:
        settings = load_settings()
    except SettingsError as exc:
        return _fail(str(exc))
    _configure_logging(settings)
    status = _migrate(settings.database_url)
    if status:
        return status
    if settings.socket_mode or settings.web_concurrency == 1:
        return _run_one(settings)

    from app.slack.http import PortUnavailable, listening_socket
    from app.workers import run_workers

    try:
        listening = listening_socket(settings.host, settings.port)
    except PortUnavailable as exc:
        return _fail(str(exc))
    # The scheduler (rounds, nudges, delivery) in the first worker only; the others only serve.
    return run_workers(
        settings.web_concurrency,
        lambda index: _run_one(
            settings.model_copy(update={"scheduler_enabled": settings.scheduler_enabled and index == 0}),
            listening,
        ),
    )


def _run_one(settings: Settings, listening: socket.socket | None = None) -> int:
    """One serving process: on ``listening`` (a worker's share of the port) or its own bound port."""
    from app.bootstrap import create_bot
    from app.slack.http import PortUnavailable, serve
    from app.slack.identity import TokenRefused

    bot = create_bot(settings)
    stopping = _Stopping()
    try:
        # Local problems first (the port), then the slow one (Slack), then the work.
        server: HttpServer | None = None
        if not settings.socket_mode:
            threads = settings.http_threads
            server = serve(
                bot.wsgi_app(), host=settings.host, port=settings.port, threads=threads, listening=listening
            )
        try:
            if not bot.sign_in(stopping.event):
                log.info("stopped before Slack answered auth.test")
                return 0
        except TokenRefused as exc:
            return _fail(
                f"Slack refused SLACK_BOT_TOKEN ({exc.error}): copy the Bot User OAuth Token (xoxb-…) from "
                "the app's OAuth & Permissions page, and reinstall the app if it was removed"
            )
        return _serve(bot, server, stopping)
    except PortUnavailable as exc:
        return _fail(str(exc))
    finally:
        bot.engine.dispose()


def _serve(bot: Bot, server: HttpServer | None, stopping: _Stopping) -> int:
    """Warm up, start the scheduler, serve until stopped; then stop the work in order."""
    from app.jobs.scheduler import create_scheduler

    try:
        bot.services.mentoring.warm_up()  # the mentor register in memory before the first ask
    except Exception:  # the first ask will load it instead
        log.exception("could not load the mentor register at start-up")
    scheduler = create_scheduler(bot.services, bot.delivery) if bot.settings.scheduler_enabled else None
    if scheduler is not None:
        scheduler.start()
        log.info("background jobs started")
    try:
        if server is not None:
            stopping.on_stop(server.stop)
            log.info("serving Slack at http://%s:%s/slack/events", bot.settings.host, server.port)
            server.run()
            return 0
        return _serve_socket_mode(bot, stopping)
    finally:
        bot.after_ack.shutdown()  # a click acked before the stop still gets its seat and its answer
        bot.dispatcher.stop()  # a long drain gives back what it hasn't tried instead of holding up the exit
        if scheduler is not None:
            scheduler.shutdown(wait=True)
        log.info("stopped")


def _serve_socket_mode(bot: object, stopping: _Stopping) -> int:
    """Socket Mode for the Slack traffic; /healthz and /metrics are still served over HTTP."""
    from app.bootstrap import Bot
    from app.slack.http import serve
    from app.slack.socket_mode import AppTokenRefused, SocketMode, SocketModeUnavailable

    assert isinstance(bot, Bot)
    assert bot.settings.slack_app_token is not None
    socket_mode = SocketMode(
        bot.bolt_app,
        bot.settings.slack_app_token.get_secret_value(),
        bot.metrics,
        concurrency=bot.settings.http_threads,
        acks_first=bot.after_ack.acks_first,
    )
    log.info("connecting to Slack in Socket Mode")
    # As with auth.test: a refused token ends start-up; Slack unreachable is waited out, a line a try.
    wait, attempt = 1.0, 0
    while True:
        attempt += 1
        try:
            socket_mode.start()
            break
        except AppTokenRefused as exc:
            socket_mode.close()
            return _fail(str(exc))
        except SocketModeUnavailable as exc:
            log.warning("Socket Mode try %d: %s; trying again in %.0f s", attempt, exc, wait)
            if stopping.event.wait(wait):
                socket_mode.close()
                return 0
            wait = min(wait * 2, 60.0)
    health = serve(
        bot.wsgi_app(socket_connected=socket_mode.connected),
        host=bot.settings.host,
        port=bot.settings.port,
        threads=2,
    )
    health_thread = threading.Thread(target=health.run, name="healthz", daemon=True)
    health_thread.start()
    stopping.event.wait()
    log.info("disconnecting from Slack")
    socket_mode.close()
    health.stop()
    health_thread.join(timeout=5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
