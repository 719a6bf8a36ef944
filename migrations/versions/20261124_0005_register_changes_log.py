"""register_changes: a log of whose matching data changed, written by triggers

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 10:00:00.000000

Every bot process keeps the mentor register and the mentors' bookings in memory for ``/mentor ask``
and catches up by reading this log (``app.services.register_cache``). The log is written by triggers,
so no writer (a service, an import, an erasure, a hand-run UPDATE) can forget it.

Guarantee the cache relies on: versions are gapless and become visible in order, so "every row after
the last version I saw" is exactly what changed since.
- SQLite has one writer at a time: a trigger numbers its row max + 1 inside the writing transaction.
- PostgreSQL: the triggers are deferred to COMMIT and take a transaction-scoped advisory lock before
  numbering, so numbering and commit happen in one order. The lock is taken only at commit, after the
  transaction's other locks, so it cannot be part of a deadlock.
Every 1,000th version drops rows 10,000 versions old; a process further behind reloads everything.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEEP = 10_000
LOCK_KEY = 5_349_211_050  # pg_advisory_xact_lock key: "register_changes numbering"

# (table, events, the user id(s) a row change concerns, and when an UPDATE matters)
# The columns listed are exactly what matching reads (see app.db.queries, "register snapshot").
_PROFILE_COLUMNS = ("windows", "capacity_per_week", "available", "away_until", "reverse_ok", "active")
_MEMBER_COLUMNS = ("tz", "team", "level", "unreachable_since")
_MEETING_COLUMNS = ("status", "hold_start", "start_at", "mentor_id")


def _distinct(columns: Sequence[str]) -> str:
    return " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in columns)


def _sqlite_insert(user: str) -> str:
    return (
        "INSERT INTO register_changes (version, user_id) "
        f"SELECT coalesce(max(version), 0) + 1, {user} FROM register_changes;"
    )


def _sqlite_triggers() -> list[str]:
    statements = [
        f"""CREATE TRIGGER register_changes_prune AFTER INSERT ON register_changes
            WHEN NEW.version % 1000 = 0
            BEGIN DELETE FROM register_changes WHERE version <= NEW.version - {KEEP}; END""",
    ]
    for table, user, columns in (
        ("mentor_profiles", "user_id", _PROFILE_COLUMNS),
        ("mentor_topics", "user_id", ("user_id", "topic")),
        ("meetings", "mentor_id", _MEETING_COLUMNS),
    ):
        statements += [
            f"""CREATE TRIGGER register_changes_{table}_insert AFTER INSERT ON {table}
                BEGIN {_sqlite_insert(f"NEW.{user}")} END""",
            f"""CREATE TRIGGER register_changes_{table}_delete AFTER DELETE ON {table}
                BEGIN {_sqlite_insert(f"OLD.{user}")} END""",
            f"""CREATE TRIGGER register_changes_{table}_update AFTER UPDATE OF {", ".join(columns)} ON {table}
                WHEN {_distinct(columns)}
                BEGIN {_sqlite_insert(f"NEW.{user}")} END""",
            # Someone's row moved to somebody else (erasure hands meetings to a stand-in): both change.
            f"""CREATE TRIGGER register_changes_{table}_moved AFTER UPDATE OF {user} ON {table}
                WHEN NEW.{user} IS NOT OLD.{user}
                BEGIN {_sqlite_insert(f"OLD.{user}")} END""",
        ]
    member_columns = ", ".join(_MEMBER_COLUMNS)
    statements.append(
        f"""CREATE TRIGGER register_changes_members_update AFTER UPDATE OF {member_columns} ON members
            WHEN {_distinct(_MEMBER_COLUMNS)}
            BEGIN {_sqlite_insert("NEW.user_id")} END"""
    )
    return statements


_SQLITE_TRIGGER_NAMES = [
    "register_changes_prune",
    "register_changes_members_update",
    *(
        f"register_changes_{table}_{event}"
        for table in ("mentor_profiles", "mentor_topics", "meetings")
        for event in ("insert", "delete", "update", "moved")
    ),
]


def _pg_distinct(columns: Sequence[str]) -> str:
    # As text: json has no equality operator.
    new, old = (", ".join(f"{row}.{c}::text" for c in columns) for row in ("NEW", "OLD"))
    return f"({new}) IS DISTINCT FROM ({old})"


def _pg_function(table: str, user: str, columns: Sequence[str]) -> str:
    return f"""
CREATE FUNCTION register_changes_{table}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM register_changed(NEW.{user});
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM register_changed(OLD.{user});
    ELSIF {_pg_distinct(columns)} THEN
        PERFORM register_changed(NEW.{user});
        IF NEW.{user} IS DISTINCT FROM OLD.{user} THEN
            PERFORM register_changed(OLD.{user});
        END IF;
    END IF;
    RETURN NULL;
END $$"""


_PG_TABLES = (
    ("mentor_profiles", "user_id", _PROFILE_COLUMNS, "INSERT OR DELETE OR UPDATE"),
    ("mentor_topics", "user_id", ("user_id", "topic"), "INSERT OR DELETE OR UPDATE"),
    ("meetings", "mentor_id", _MEETING_COLUMNS, "INSERT OR DELETE OR UPDATE"),
    ("members", "user_id", _MEMBER_COLUMNS, "UPDATE"),
)


def _pg_statements() -> list[str]:
    statements = [
        f"""
CREATE FUNCTION register_changed(uid varchar) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    next_version bigint;
BEGIN
    -- Held until the transaction ends: numbering and committing happen in one order.
    PERFORM pg_advisory_xact_lock({LOCK_KEY});
    SELECT coalesce(max(version), 0) + 1 INTO next_version FROM register_changes;
    INSERT INTO register_changes (version, user_id) VALUES (next_version, uid);
    IF next_version % 1000 = 0 THEN
        DELETE FROM register_changes WHERE version <= next_version - {KEEP};
    END IF;
END $$"""
    ]
    for table, user, columns, events in _PG_TABLES:
        statements.append(_pg_function(table, user, columns))
        of = f" OF {', '.join(columns)}"
        statements.append(
            f"""CREATE CONSTRAINT TRIGGER register_changes_{table}
                AFTER {events}{of} ON {table}
                DEFERRABLE INITIALLY DEFERRED
                FOR EACH ROW EXECUTE FUNCTION register_changes_{table}()"""
        )
    return statements


def upgrade() -> None:
    op.create_table(
        "register_changes",
        sa.Column("version", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("version", name=op.f("pk_register_changes")),
    )
    # Covering indexes for loading the register's conversations: all (status, start_at, mentor_id)
    # replaces (status, start_at); one mentor's (mentor_id, status, start_at).
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_index("ix_meetings_status_start_at")
        batch_op.create_index(
            "ix_meetings_status_start_at_mentor_id", ["status", "start_at", "mentor_id"], unique=False
        )
        batch_op.create_index(
            "ix_meetings_mentor_id_status_start_at", ["mentor_id", "status", "start_at"], unique=False
        )
    dialect = op.get_bind().dialect.name
    statements = _pg_statements() if dialect == "postgresql" else _sqlite_triggers()
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table, *_ in _PG_TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS register_changes_{table} ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS register_changes_{table}()")
        op.execute("DROP FUNCTION IF EXISTS register_changed(varchar)")
    else:
        for name in _SQLITE_TRIGGER_NAMES:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("register_changes")
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_index("ix_meetings_mentor_id_status_start_at")
        batch_op.drop_index("ix_meetings_status_start_at_mentor_id")
        batch_op.create_index("ix_meetings_status_start_at", ["status", "start_at"], unique=False)
