"""The one place where SQLite and PostgreSQL differ for us: "insert or ignore" and "skip locked"."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVarTuple

from sqlalchemy import Select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Insert

Columns = TypeVarTuple("Columns")


def is_postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def insert_or_ignore(session: Session, table: Any, values: dict[str, Any], key: Sequence[str]) -> Insert:
    """``INSERT ... ON CONFLICT (key) DO NOTHING``: atomic on both databases, so two replicas (or two
    requests) inserting the same key leave one row and no error. Add ``.returning(...)`` to learn
    whether this one inserted: rowcount isn't reliable here with psycopg 3."""
    insert = pg_insert if is_postgresql(session) else sqlite_insert
    return insert(table).values(**values).on_conflict_do_nothing(index_elements=list(key))


def skip_locked(session: Session, query: Select[*Columns]) -> Select[*Columns]:
    """``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so replicas sharing it split the work instead of waiting
    on each other; SQLite serialises writers anyway and has no row locks."""
    if is_postgresql(session):
        return query.with_for_update(skip_locked=True)
    return query
