"""coffee_pools: many named coffee programmes; participants, channels and rounds belong to one

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 19:10:00.000000

Everything the workspace had becomes the pool "coffee": its schedule (the one ``coffee_schedule`` row,
which this revision folds into the pool and drops), every participant row, channel and round. A round
is now unique per ``(pool_id, scheduled_for)``, so each pool's due round is claimed once.
``members`` is not touched (its register_changes triggers, migration 0005); the coffee tables are
rebuilt by batch mode on SQLite, which is safe: no triggers live on them.
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DEFAULT_POOL = "coffee"  # copied from app.db.models.coffee: a migration must not change when the app does
# Rows that reference the rebuilt tables: SQLite (foreign keys on) deletes them by cascade when batch mode
# drops the old table, so they are kept aside and put back. Parents before children.
CHILDREN = ("coffee_channel_members", "coffee_groups", "coffee_group_members")


def _keep_children() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for table in CHILDREN:
            op.execute(f"CREATE TEMP TABLE kept_{table} AS SELECT * FROM {table}")


def _restore_children() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for table in CHILDREN:
            op.execute(f"DELETE FROM {table}")
            op.execute(f"INSERT INTO {table} SELECT * FROM kept_{table}")
            op.execute(f"DROP TABLE kept_{table}")


def upgrade() -> None:
    pools = op.create_table(
        "coffee_pools",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("mode", sa.String(length=16), nullable=False),
        sa.Column("group_size", sa.Integer(), nullable=False),
        sa.Column("repeat_window", sa.Integer(), nullable=True),
        sa.Column("every_weeks", sa.Integer(), nullable=True),
        sa.Column("weekday", sa.Integer(), nullable=True),
        sa.Column("at_time", sa.String(length=5), nullable=True),
        sa.Column("tz", sa.String(length=64), nullable=True),
        sa.Column("anchor", sa.DateTime(), nullable=True),
        sa.Column("heads_up", sa.Boolean(), nullable=False),
        sa.Column("intro_at", sa.String(length=5), nullable=True),
        sa.Column("never_same_team", sa.Boolean(), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=32), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coffee_pools")),
        sa.UniqueConstraint("name", name=op.f("uq_coffee_pools_name")),
    )
    bind = op.get_bind()
    now = datetime.now(UTC).replace(tzinfo=None)
    op.bulk_insert(
        pools,
        [
            {
                "id": 1,
                "name": DEFAULT_POOL,
                "mode": "random",
                "group_size": 2,
                "repeat_window": None,
                "heads_up": True,
                "intro_at": None,  # intros as soon as the round runs, as before
                "never_same_team": False,
                "settings": {},
                "created_by": None,
                "created_at": now,
                "updated_at": now,
            }
        ],
    )
    # The schedule an admin set (if any) is copied in SQL, so each value keeps its stored form.
    columns = ("every_weeks", "weekday", "at_time", "tz", "anchor", "updated_by")
    copied = ", ".join(f"{c} = (SELECT {c} FROM coffee_schedule WHERE id = 1)" for c in columns)
    op.execute(f"UPDATE coffee_pools SET {copied} WHERE id = 1 AND EXISTS (SELECT 1 FROM coffee_schedule)")
    if bind.dialect.name == "postgresql":  # the explicit id 1 must not collide with the next serial
        op.execute("SELECT setval(pg_get_serial_sequence('coffee_pools', 'id'), 1)")

    _keep_children()
    with op.batch_alter_table("coffee_participants", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pool_id", sa.Integer(), server_default="1", nullable=False))
    with op.batch_alter_table("coffee_participants", schema=None) as batch_op:
        batch_op.alter_column("pool_id", server_default=None)
        batch_op.drop_constraint("pk_coffee_participants", type_="primary")
        batch_op.create_primary_key("pk_coffee_participants", ["pool_id", "user_id"])
        batch_op.create_foreign_key(
            batch_op.f("fk_coffee_participants_pool_id_coffee_pools"),
            "coffee_pools",
            ["pool_id"],
            ["id"],
            ondelete="CASCADE",
        )

    with op.batch_alter_table("coffee_channels", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pool_id", sa.Integer(), server_default="1", nullable=False))
    with op.batch_alter_table("coffee_channels", schema=None) as batch_op:
        batch_op.alter_column("pool_id", server_default=None)
        batch_op.create_index(batch_op.f("ix_coffee_channels_pool_id"), ["pool_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_coffee_channels_pool_id_coffee_pools"),
            "coffee_pools",
            ["pool_id"],
            ["id"],
            ondelete="CASCADE",
        )

    with op.batch_alter_table("coffee_rounds", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pool_id", sa.Integer(), server_default="1", nullable=False))
    with op.batch_alter_table("coffee_rounds", schema=None) as batch_op:
        batch_op.alter_column("pool_id", server_default=None)
        batch_op.drop_constraint("uq_coffee_rounds_scheduled_for", type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_coffee_rounds_pool_id_scheduled_for"), ["pool_id", "scheduled_for"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_coffee_rounds_pool_id_coffee_pools"),
            "coffee_pools",
            ["pool_id"],
            ["id"],
            ondelete="CASCADE",
        )

    _restore_children()
    op.drop_table("coffee_schedule")

    op.create_table(
        "coffee_heads_ups",
        sa.Column("pool_id", sa.Integer(), nullable=False),
        sa.Column("scheduled_for", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pool_id"],
            ["coffee_pools.id"],
            name=op.f("fk_coffee_heads_ups_pool_id_coffee_pools"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pool_id", "scheduled_for", name=op.f("pk_coffee_heads_ups")),
    )
    op.create_table(
        "coffee_skips",
        sa.Column("pool_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("scheduled_for", sa.DateTime(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pool_id"],
            ["coffee_pools.id"],
            name=op.f("fk_coffee_skips_pool_id_coffee_pools"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pool_id", "user_id", "scheduled_for", name=op.f("pk_coffee_skips")),
    )


def downgrade() -> None:
    """Back to one pool: only the pool "coffee" survives (other pools' rows go with them)."""
    op.drop_table("coffee_skips")
    op.drop_table("coffee_heads_ups")
    op.create_table(
        "coffee_schedule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("every_weeks", sa.Integer(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("at_time", sa.String(length=5), nullable=False),
        sa.Column("tz", sa.String(length=64), nullable=False),
        sa.Column("anchor", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=32), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coffee_schedule")),
    )
    bind = op.get_bind()
    keep = bind.execute(
        sa.text("SELECT id FROM coffee_pools WHERE name = :name"), {"name": DEFAULT_POOL}
    ).scalar()
    keep = -1 if keep is None else keep
    op.execute(
        sa.text(
            "INSERT INTO coffee_schedule"
            " (id, every_weeks, weekday, at_time, tz, anchor, updated_by, updated_at)"
            " SELECT 1, every_weeks, weekday, at_time, tz, anchor, updated_by, updated_at FROM coffee_pools"
            " WHERE id = :keep AND every_weeks IS NOT NULL"
        ).bindparams(keep=keep)
    )
    for table in ("coffee_rounds", "coffee_channels", "coffee_participants"):
        bind.execute(sa.text(f"DELETE FROM {table} WHERE pool_id != :keep"), {"keep": keep})

    _keep_children()
    with op.batch_alter_table("coffee_rounds", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_coffee_rounds_pool_id_coffee_pools"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("uq_coffee_rounds_pool_id_scheduled_for"), type_="unique")
        batch_op.create_unique_constraint("uq_coffee_rounds_scheduled_for", ["scheduled_for"])
        batch_op.drop_column("pool_id")

    with op.batch_alter_table("coffee_channels", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_coffee_channels_pool_id_coffee_pools"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_coffee_channels_pool_id"))
        batch_op.drop_column("pool_id")

    with op.batch_alter_table("coffee_participants", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_coffee_participants_pool_id_coffee_pools"), type_="foreignkey"
        )
        batch_op.drop_constraint("pk_coffee_participants", type_="primary")
        batch_op.create_primary_key("pk_coffee_participants", ["user_id"])
        batch_op.drop_column("pool_id")
    _restore_children()

    op.drop_table("coffee_pools")
