"""Shared plumbing for the benchmarks that drive the bot over HTTP: a scratch database, a fake Slack,
the bot wired as ``mentorbot run`` wires it, and percentiles.

The scratch PostgreSQL database is a schema of its own (created and dropped here), because the test
suite may be running on the same server at the same time.
"""

from __future__ import annotations

import math
import os
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "support"))  # FakeSlack and SlackSender

from sqlalchemy import text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from app.bootstrap import Bot, create_bot  # noqa: E402
from app.config import load_settings  # noqa: E402
from app.db.engine import create_db_engine, normalise_url  # noqa: E402
from app.db.migrate import upgrade_to_head  # noqa: E402
from app.slack.http import HttpServer, serve  # noqa: E402

DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/test"
SIGNING_SECRET = "bench-signing-secret"


@contextmanager
def scratch_database(backend: str, pg_url: str = DEFAULT_PG_URL, *, tag: str = "bench") -> Iterator[str]:
    """A freshly migrated database: a temporary SQLite file, or a PostgreSQL schema of our own."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
            upgrade_to_head(url)
            yield url
        return
    schema = f"{tag}_{os.getpid()}"
    admin = create_db_engine(pg_url)
    with admin.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    url = make_url(normalise_url(pg_url)).update_query_dict({"options": f"-csearch_path={schema}"})
    url_text = url.render_as_string(hide_password=False)
    try:
        upgrade_to_head(url_text)
        yield url_text
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        admin.dispose()


@contextmanager
def running_bot(
    fake: Any, database_url: str, *, threads: int = 16, **overrides: Any
) -> Iterator[tuple[Bot, str]]:
    """The bot served over HTTP on 127.0.0.1 (waitress, ``threads`` workers), talking to ``fake``."""
    settings = load_settings(
        _env_file=None,
        slack_bot_token=fake.bot_token,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=fake.api_url,
        database_url=database_url,
        default_timezone="UTC",
        scheduler_enabled=False,
        **overrides,
    )
    bot = create_bot(settings)
    with serving(bot.wsgi_app(), threads=threads) as base_url:
        try:
            yield bot, base_url
        finally:
            bot.engine.dispose()


@contextmanager
def serving(wsgi_app: Any, *, threads: int = 16) -> Iterator[str]:
    server: HttpServer = serve(wsgi_app, host="127.0.0.1", port=0, threads=threads)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.stop()
        thread.join(timeout=5)


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of ``values``; NaN when empty."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def post_slash_command(port: int, text: str, user: str, response_url: str) -> float | str:
    """One signed ``/mentor`` command on a fresh connection, as Slack sends it: the round trip in
    seconds, or what went wrong ("HTTP 500", "ConnectionResetError")."""
    import http.client

    from slack_requests import signed_headers, slash_command_body

    body = slash_command_body("/mentor", text, user, response_url=response_url)
    headers = signed_headers(SIGNING_SECRET, body)
    started = time.perf_counter()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("POST", "/slack/events", body=body.encode(), headers=headers)
        response = conn.getresponse()
        response.read()
        conn.close()
    except OSError as exc:
        return type(exc).__name__
    if response.status != 200:
        return f"HTTP {response.status}"
    return time.perf_counter() - started
