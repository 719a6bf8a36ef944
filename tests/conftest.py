"""Shared fixtures: a migrated database per test (SQLite always, PostgreSQL when TEST_DATABASE_URL is
set), a fake Slack Web API server, and the bot wired exactly as ``mentorbot run`` wires it."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, MetaData, text
from sqlalchemy.engine import make_url

from app.db.engine import create_db_engine, normalise_url
from app.db.migrate import upgrade_to_head

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL")
BACKENDS = ["sqlite", *(["postgresql"] if POSTGRES_URL else [])]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One `alembic upgrade head` per session; each test gets a copy of the result."""
    path = tmp_path_factory.mktemp("db") / "template.sqlite3"
    upgrade_to_head(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_migrated() -> Iterator[str]:
    """A schema of its own per test run, so parallel runs on one server never see each other's rows."""
    assert POSTGRES_URL is not None
    schema = f"mentorbot_test_{os.getpid()}"
    admin = create_db_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    url = make_url(normalise_url(POSTGRES_URL)).update_query_dict({"options": f"-csearch_path={schema}"})
    url_text = url.render_as_string(hide_password=False)
    upgrade_to_head(url_text)  # from nothing: the migrations build the whole schema
    yield url_text
    with admin.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
    admin.dispose()


class _Emptier:
    """Empties this run's PostgreSQL schema between tests as ``TRUNCATE … RESTART IDENTITY`` of every table
    would, at a fraction of the cost: a truncate makes new files for each table it names (about 0.3 s for
    all of them here) and a reflection costs 0.2 s more, so the names are read once per run and only the
    tables holding rows are truncated; every sequence restarts, as the identities of all tables would."""

    def __init__(self, url: str) -> None:
        self.url = url
        engine = create_db_engine(url)
        try:
            metadata = MetaData()
            metadata.reflect(engine)
            with engine.connect() as connection:
                self.sequences = connection.scalars(
                    text(
                        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                        " WHERE c.relkind = 'S' AND n.nspname = current_schema()"
                    )
                ).all()
        finally:
            engine.dispose()
        tables = [t.name for t in metadata.sorted_tables if t.name != "alembic_version"]
        self.holding_rows = text(
            " UNION ALL ".join(f"SELECT '{name}' WHERE EXISTS (SELECT 1 FROM \"{name}\")" for name in tables)
        )

    def empty(self) -> str:
        engine = create_db_engine(self.url)
        try:
            with engine.begin() as connection:
                full = connection.scalars(self.holding_rows).all()
                if full:
                    names = ", ".join(f'"{name}"' for name in full)
                    connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
                for sequence in self.sequences:
                    connection.execute(text(f'ALTER SEQUENCE "{sequence}" RESTART'))
        finally:
            engine.dispose()
        return self.url


@pytest.fixture(scope="session")
def _postgres_emptier(postgres_migrated: str) -> _Emptier:
    return _Emptier(postgres_migrated)


@pytest.fixture
def empty_postgres(_postgres_emptier: _Emptier) -> str:
    """This run's PostgreSQL schema with no rows and every sequence at its start."""
    return _postgres_emptier.empty()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        path = tmp_path / "mentorbot.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    yield request.getfixturevalue("empty_postgres")


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = create_db_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def backend(database_url: str) -> str:
    return "sqlite" if database_url.startswith("sqlite") else "postgresql"


def run_in_thread(target: object) -> threading.Thread:
    thread = threading.Thread(target=target, daemon=True)  # type: ignore[arg-type]
    thread.start()
    return thread
