"""asks.reverse: an ask for reverse mentoring (a junior colleague mentoring a senior)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 16:40:00.000000

Every existing ask is an ordinary one (false).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("asks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reverse", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("asks", schema=None) as batch_op:
        batch_op.drop_column("reverse")
