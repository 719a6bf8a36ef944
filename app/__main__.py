"""The command line: ``mentorbot run`` and ``mentorbot migrate``. Parsing only; bootstrap wires."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from types import FrameType

from app.config import DEFAULT_DATABASE_URL, Settings, SettingsError, load_settings
from app.logs import configure_logging

EXIT_CONFIG = 2

log = logging.getLogger("mentorbot")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="mentorbot", description="Micro-mentoring and coffee roulette for Slack."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser(
        "run", help="upgrade the database, then serve Slack (HTTP, or Socket Mode with SLACK_APP_TOKEN)"
    )
    sub.add_parser("migrate", help="upgrade the database to the latest revision, then exit")
    importer = sub.add_parser("import-members", help="import team and level per person from a CSV file")
    importer.add_argument("csv_file", help="rows of: Slack user ID, team, level (1-5 or junior..principal)")
    args = parser.parse_args(argv)

    # Settings aren't loaded yet (migrate needs none): log as the environment asks until they are.
    configure_logging(fmt=_env_choice("LOG_FORMAT", ("json", "text"), "json"))
    if args.command == "migrate":
        return _migrate()
    if args.command == "import-members":
        return _import_members(args.csv_file)
    return _run()


def _env_choice(name: str, choices: tuple[str, ...], default: str) -> str:
    value = os.environ.get(name, "").strip().lower()
    return value if value in choices else default


def _configure_logging(settings: Settings) -> None:
    secrets = [settings.slack_bot_token.get_secret_value(), settings.slack_signing_secret.get_secret_value()]
    if settings.slack_app_token is not None:
        secrets.append(settings.slack_app_token.get_secret_value())
    configure_logging(
        fmt=settings.log_format, level=logging.getLevelName(settings.log_level), secrets=secrets
    )


def _database_url() -> str:
    """migrate needs only the database, not the Slack tokens."""
    return os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL


def _migrate(url: str | None = None) -> int:
    from app.db.migrate import upgrade_to_head

    try:
        upgrade_to_head(url or _database_url())
    except Exception as exc:  # a clear line, not a traceback
        print(
            f"mentorbot: could not upgrade the database: {type(exc).__name__}: {exc}".splitlines()[0],
            file=sys.stderr,
        )
        return 1
    return 0


def _import_members(path: str) -> int:
    from app.bootstrap import create_services
    from app.db.engine import create_db_engine
    from app.members_import import ImportError_, read_members

    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"mentorbot: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    _configure_logging(settings)
    status = _migrate(settings.database_url)
    if status:
        return status
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            rows = list(read_members(handle))
    except (OSError, ImportError_) as exc:
        print(f"mentorbot: {exc}", file=sys.stderr)
        return 1
    engine = create_db_engine(settings.database_url)
    try:
        count = create_services(engine, settings).roulette.import_members(rows)
    finally:
        engine.dispose()
    print(f"Imported team and level for {count} people.")
    return 0


def _run() -> int:
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"mentorbot: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    _configure_logging(settings)
    status = _migrate(settings.database_url)
    if status:
        return status

    from app.bootstrap import create_bot
    from app.jobs.scheduler import create_scheduler

    bot = create_bot(settings)
    try:
        bot.services.mentoring.warm_up()  # the mentor register in memory before the first ask
    except Exception:  # the first ask will load it instead
        log.exception("could not load the mentor register at start-up")
    scheduler = (
        create_scheduler(bot.services, bot.dispatcher, bot.client) if settings.scheduler_enabled else None
    )
    if scheduler is not None:
        scheduler.start()
    try:
        if settings.socket_mode:
            return _serve_socket_mode(bot)
        return _serve_http(bot)
    finally:
        bot.dispatcher.stop()  # a long drain gives back what it hasn't tried instead of holding up the exit
        if scheduler is not None:
            scheduler.shutdown(wait=True)
        bot.engine.dispose()
        log.info("stopped")


def _serve_http(bot: object) -> int:
    from app.bootstrap import Bot
    from app.slack.http import serve

    assert isinstance(bot, Bot)
    server = serve(
        bot.wsgi_app(), host=bot.settings.host, port=bot.settings.port, threads=bot.settings.http_threads
    )

    def stop(signum: int, _frame: FrameType | None) -> None:
        log.info("signal %s: finishing in-flight requests", signum)
        server.stop()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log.info("serving Slack at http://%s:%s/slack/events", bot.settings.host, server.port)
    server.run()
    return 0


def _serve_socket_mode(bot: object) -> int:
    """Socket Mode for the Slack traffic; /healthz and /metrics are still served over HTTP."""
    import threading

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
    )
    log.info("connecting to Slack in Socket Mode")
    try:
        socket_mode.start()
    except (AppTokenRefused, SocketModeUnavailable) as exc:
        socket_mode.close()
        print(f"mentorbot: {exc}", file=sys.stderr)
        return EXIT_CONFIG if isinstance(exc, AppTokenRefused) else 1
    health = serve(
        bot.wsgi_app(socket_connected=socket_mode.connected),
        host=bot.settings.host,
        port=bot.settings.port,
        threads=2,
    )
    health_thread = threading.Thread(target=health.run, name="healthz", daemon=True)
    health_thread.start()
    stopped = threading.Event()

    def stop(signum: int, _frame: FrameType | None) -> None:
        log.info("signal %s: disconnecting", signum)
        stopped.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    stopped.wait()
    socket_mode.close()
    health.stop()
    health_thread.join(timeout=5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
