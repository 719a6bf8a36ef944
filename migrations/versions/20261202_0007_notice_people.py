"""notice_people: who each notice concerns, so erasure and "what did we send to whom" are queries

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 16:00:00.000000

Rows queued or sent before this revision are backfilled from their payloads, with the rules of
``app.services.notices`` (each type's ``recipients`` and ``send_to``) at this revision, copied here, not
imported: a migration must not change when the app does.
"""

import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 1000


def people_of(payload: dict[str, Any]) -> list[tuple[str, bool]]:
    """(user id, addressee) for every person a payload of revision 0006's code names, each once,
    addressees first: ``to``/``users`` are addressees; ``asker_id``, ``mentor_id``, ``by``,
    ``other_id``, ``proposer``, the intro's ``people`` and the options' mentors are named."""
    addressees = [payload["to"]] if "to" in payload else list(payload.get("users") or [])
    named = [payload.get(k) for k in ("asker_id", "mentor_id", "by", "other_id", "proposer")]
    named += list(payload.get("people") or {})
    named += [o.get("mentor_id") for o in payload.get("options") or []]
    seen: dict[str, bool] = {}
    for user_id in addressees:
        seen.setdefault(str(user_id), True)
    for user_id in named:
        if user_id:
            seen.setdefault(str(user_id), False)
    return list(seen.items())


def upgrade() -> None:
    op.create_table(
        "notice_people",
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("addressee", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["notice_id"],
            ["notices.id"],
            name=op.f("fk_notice_people_notice_id_notices"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("notice_id", "user_id", name=op.f("pk_notice_people")),
    )
    with op.batch_alter_table("notice_people", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notice_people_user_id"), ["user_id"], unique=False)

    connection = op.get_bind()
    notices = sa.table("notices", sa.column("id", sa.Integer()), sa.column("payload", sa.JSON()))
    people = sa.table(
        "notice_people",
        sa.column("notice_id", sa.Integer()),
        sa.column("user_id", sa.String()),
        sa.column("addressee", sa.Boolean()),
    )
    last = 0
    while True:
        rows = connection.execute(
            sa.select(notices.c.id, notices.c.payload)
            .where(notices.c.id > last)
            .order_by(notices.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            break
        values = []
        for notice_id, payload in rows:
            if isinstance(payload, str):  # a JSON column read through a bare table may come back as text
                payload = json.loads(payload)
            values += [
                {"notice_id": notice_id, "user_id": user_id, "addressee": to}
                for user_id, to in people_of(payload or {})
            ]
        if values:
            connection.execute(people.insert(), values)
        last = rows[-1][0]


def downgrade() -> None:
    with op.batch_alter_table("notice_people", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notice_people_user_id"))
    op.drop_table("notice_people")
