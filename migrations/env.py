"""Alembic environment: the URL comes from the caller's config or DATABASE_URL, never from alembic.ini."""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import Connection, text

from app.config import DEFAULT_DATABASE_URL
from app.db.engine import create_db_engine
from app.db.models import Base

config = context.config
target_metadata = Base.metadata
MIGRATION_LOCK_KEY = 0x6D656E746F72  # "mentor": any constant shared by every replica


def _url() -> str:
    return config.get_main_option("sqlalchemy.url") or os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            # Replicas starting together: one upgrades, the others wait here and then find nothing to do.
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_db_engine(_url())
    try:
        with engine.connect() as connection:
            _run(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
