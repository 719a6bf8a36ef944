"""The outbox's rows and the people each notice concerns (``notice_people``).

The dialect difference of an idempotent insert (``ON CONFLICT DO NOTHING``) lives here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from app.db.models import Notice, NoticePerson


def insert_notice(session: Session, values: dict[str, Any]) -> int | None:
    """Insert a notice row; its id, or None when a notice with its key is already there."""
    dialect = session.get_bind().dialect.name
    statement = pg_insert if dialect == "postgresql" else sqlite_insert
    return session.scalar(
        statement(Notice).values(**values).on_conflict_do_nothing(index_elements=["key"]).returning(Notice.id)
    )


def add_notice_people(session: Session, notice_id: int, people: Iterable[tuple[str, bool]]) -> None:
    rows = [{"notice_id": notice_id, "user_id": u, "addressee": to} for u, to in people]
    if rows:
        session.execute(insert(NoticePerson), rows)


def replace_notice_people(session: Session, notice_id: int, people: Iterable[tuple[str, bool]]) -> None:
    session.flush()
    session.execute(delete(NoticePerson).where(NoticePerson.notice_id == notice_id))
    add_notice_people(session, notice_id, people)


def sent_to(session: Session, user_id: str) -> list[Notice]:
    """What was sent to a person (they were an addressee), oldest first."""
    query = (
        select(Notice)
        .join(NoticePerson, NoticePerson.notice_id == Notice.id)
        .where(NoticePerson.user_id == user_id, NoticePerson.addressee.is_(True), Notice.status == "sent")
        .order_by(Notice.sent_at, Notice.id)
    )
    return list(session.scalars(query))
