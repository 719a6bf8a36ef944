"""``mentorbot sandbox``: the stand-in for Slack, a seeded workspace, the bot wired as ``mentorbot run``
wires it (HTTP mode, Bolt's signature check on, its Web API at the stand-in), and the page on 127.0.0.1."""

from __future__ import annotations

import logging
import os
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.bootstrap import Bot, create_bot
from app.config import Settings, load_settings
from app.db.migrate import describe_url, upgrade_to_head
from app.domain.model import DEFAULT_WINDOWS
from app.jobs.scheduler import create_scheduler, periodic_jobs
from app.sandbox.clock import SandboxClock
from app.sandbox.page import PageServer
from app.sandbox.session import Sandbox
from app.sandbox.signing import BotLink
from app.sandbox.standin import FakeSlack
from app.sandbox.workspace import (
    ADMIN,
    COFFEE_CHANNEL,
    members_rows,
    mentor_commands,
    office_commands,
    people_in_offices,
    seed_directory,
)
from app.services.people import Person
from app.slack.http import HttpServer, listening_socket, serve

log = logging.getLogger(__name__)

DEFAULT_DB_FILE = "mentorbot-sandbox.sqlite3"
DELIVERY_TICK_SECONDS = 0.25


class PageUnavailable(Exception):
    """The page's port could not be bound (taken, or not allowed)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class DatabaseUnusable(Exception):
    """The database could not be migrated (unreachable, unwritable, not a database)."""

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(f"{where}: {reason}")
        self.where, self.reason = where, reason


@dataclass
class RunningSandbox:
    sandbox: Sandbox
    bot: Bot
    fake: FakeSlack
    page: PageServer
    bot_server: HttpServer
    database_url: str
    _stop: threading.Event
    _threads: list[threading.Thread]
    _scheduler: object | None

    @property
    def url(self) -> str:
        return self.page.url

    def stop(self) -> None:
        self._stop.set()
        self.page.stop()
        self.bot_server.stop()
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=False)  # type: ignore[attr-defined]
        for thread in self._threads:
            thread.join(timeout=5)
        self.bot.dispatcher.stop()
        self.bot.engine.dispose()
        self.fake.stop()


def database_url(env: dict[str, str] | None = None, directory: Path | None = None) -> str:
    """DATABASE_URL when set, else a fresh SQLite file the sandbox names (in ``directory``, default cwd)."""
    env = dict(os.environ) if env is None else env
    if env.get("DATABASE_URL"):
        return env["DATABASE_URL"]
    path = (directory or Path.cwd()) / DEFAULT_DB_FILE
    path.unlink(missing_ok=True)  # the sandbox's own file: each start is a fresh workspace
    return f"sqlite:///{path}"


def start_sandbox(
    *, port: int, db_url: str, clock: SandboxClock | None = None, scheduler: bool = True
) -> RunningSandbox:
    try:
        page = PageServer(port=port)  # first: a taken port is said before anything else starts
    except OSError as exc:
        raise PageUnavailable(exc.strerror or str(exc)) from None
    try:
        return _start(page, db_url=db_url, clock=clock or SandboxClock(), scheduler=scheduler)
    except BaseException:
        page.stop()
        raise


def _start(page: PageServer, *, db_url: str, clock: SandboxClock, scheduler: bool) -> RunningSandbox:
    fake = FakeSlack(team_domain="mentorbot-sandbox", team_name="Mentorbot Sandbox").start()
    seed_directory(fake)
    secret = secrets.token_hex(16)
    try:
        upgrade_to_head(db_url)
    except Exception as exc:  # said in one line by the command, not as a traceback
        reason = f"{type(exc).__name__}: {exc}".splitlines()[0]
        raise DatabaseUnusable(describe_url(db_url), reason) from exc
    listening = listening_socket("127.0.0.1", 0)
    settings: Settings = load_settings(
        slack_bot_token=fake.bot_token,
        slack_signing_secret=secret,
        slack_app_token=None,
        slack_api_url=fake.api_url,
        database_url=db_url,
        host="127.0.0.1",
        port=listening.getsockname()[1],
        mentorbot_admins=ADMIN,
        web_concurrency=1,
        http_threads=8,
    )
    bot = create_bot(settings, clock=clock)
    bot_server = serve(bot.wsgi_app(), host="127.0.0.1", port=settings.port, threads=8, listening=listening)
    stop = threading.Event()
    threads = [threading.Thread(target=bot_server.run, name="sandbox-bot", daemon=True)]
    threads[0].start()
    if not bot.sign_in(stop):
        raise RuntimeError("the stand-in did not answer auth.test")
    bot.services.mentoring.warm_up()
    jobs = _due_work(bot)
    sandbox = Sandbox(fake, BotLink("127.0.0.1", bot_server.port, secret), clock, jobs, team_id=fake.team_id)
    delivering = threading.Lock()  # wait_idle waits out a delivery tick in flight (a notice it claimed)
    sandbox.wait_idle = lambda timeout=10.0: wait_idle(bot, timeout, delivering)
    sandbox.next_coffee_round = lambda: min(
        (p.next_round for p in bot.services.roulette.list_pools()), default=None
    )
    _seed_bot(bot, sandbox)
    running_scheduler = create_scheduler(bot.services, bot.delivery) if scheduler else None
    if running_scheduler is not None:
        running_scheduler.start()
    pump = threading.Thread(
        target=_deliver_often, args=(bot, stop, delivering), name="sandbox-delivery", daemon=True
    )
    pump.start()
    threads.append(pump)
    page.start(sandbox)
    return RunningSandbox(sandbox, bot, fake, page, bot_server, db_url, stop, threads, running_scheduler)


def _due_work(bot: Bot) -> list[tuple[str, Callable[[], object]]]:
    """The scheduler's own jobs, each once, with delivery last so what they queued goes out."""
    jobs = [(name, job) for name, job, _ in periodic_jobs(bot.services, bot.delivery)]
    return sorted(jobs, key=lambda named: named[0] == "deliver_due_notices")


def _seed_bot(bot: Bot, sandbox: Sandbox) -> None:
    """Teams and levels through the importer's service; mentors and the coffee channel by commands."""
    from app.bootstrap import create_member_importer

    create_member_importer(bot.engine, bot.settings).import_members(members_rows())
    commands = [*office_commands(), *mentor_commands(), (ADMIN, f"coffee channel <#{COFFEE_CHANNEL}|coffee>")]
    for user, text in commands:
        reply = sandbox.command(user, text)
        if reply.status != 200:
            log.warning("seeding %r as %s: HTTP %s", text, user, reply.status)
    sandbox.wait_idle()
    # Each person's office and days, as they would save them in "About you" (default working hours).
    for sample in people_in_offices():
        person = Person(sample.user_id, sample.name, sample.tz)
        bot.services.about.save(
            person,
            hours=DEFAULT_WINDOWS,
            team=sample.team,
            level=sample.level,
            office=sample.office,
            office_days=sample.office_days,
        )
    sandbox.forget_answers()  # the seed's "Added the office …" is not what Ada sees on opening the page


def _in_flight(executor: object) -> int:
    return int(getattr(executor, "in_flight", 0))


def _deliver_often(bot: Bot, stop: threading.Event, lock: threading.Lock) -> None:
    while not stop.wait(DELIVERY_TICK_SECONDS):
        try:
            with lock:
                bot.delivery.deliver_due_notices()
        except Exception:  # the next tick tries again
            log.exception("sandbox delivery tick failed")


def wait_idle(bot: Bot, timeout: float = 10.0, lock: threading.Lock | None = None) -> bool:
    """Wait until the bot has no listener work running or queued and no notice due (delivered here)."""
    from app.logs import ContextExecutor

    executor = bot.bolt_app.listener_runner.listener_executor
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        busy = isinstance(executor, ContextExecutor) and executor.in_flight
        if not busy:
            with lock or threading.Lock():
                if not bot.delivery.deliver_due_notices() and not _in_flight(executor):
                    return True
        time.sleep(0.01)
    return False
