"""Engine and session factories for SQLite (embedded default) and PostgreSQL (scale-out)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

SQLITE_BUSY_TIMEOUT_MS = 15_000
# An execution option marking an engine whose transactions only read (see ``create_read_session_factory``).
READ_ONLY = "mentorbot_read_only"


def normalise_url(url: str) -> str:
    """Let people write plain ``postgresql://`` URLs; we ship psycopg 3, not psycopg2."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def create_db_engine(url: str, **kwargs: Any) -> Engine:
    url = normalise_url(url)
    if is_sqlite(url):
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
            **kwargs,
        )
        _tune_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10, **kwargs)


def _tune_sqlite(engine: Engine) -> None:
    """WAL lets readers work beside one writer; a busy timeout makes writers wait instead of failing.

    pysqlite's own transaction handling is switched off so SQLAlchemy can issue ``BEGIN IMMEDIATE``:
    a writing transaction then takes the write lock up front and waits for it (busy timeout), instead
    of failing with "database is locked" when it tries to upgrade a read lock halfway through.
    A transaction that only reads (``READ_ONLY``) begins deferred: it takes no write lock, so reads
    never queue behind each other or behind a writer (WAL gives them a consistent snapshot).
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        if connection.get_execution_options().get(READ_ONLY):
            connection.exec_driver_sql("BEGIN")
        else:
            connection.exec_driver_sql("BEGIN IMMEDIATE")


def create_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def create_read_session_factory(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    """Sessions over the same engine (and pool) as ``sessions`` for transactions that only read.

    On SQLite they begin deferred instead of taking the write lock. Write nothing through them: a
    deferred transaction that later writes may fail with "database is locked" instead of waiting.
    """
    engine = sessions.kw["bind"]
    return sessionmaker(engine.execution_options(**{READ_ONLY: True}), expire_on_commit=False)


def read_only_engine(sessions: sessionmaker[Session]) -> Engine:
    """The engine behind ``sessions`` (same pool) for plain connections that only read: on SQLite
    they begin deferred (no write lock). Write nothing through it."""
    engine: Engine = sessions.kw["bind"]
    return engine.execution_options(**{READ_ONLY: True})
