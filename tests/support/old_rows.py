"""Rows written as an old revision's code wrote them, for migration tests."""

from __future__ import annotations

import sqlalchemy as sa


def table_of(table_name: str, /, **columns: sa.types.TypeEngine) -> sa.TableClause:
    """Just the columns an old revision had, to write rows as that revision's code did."""
    return sa.table(table_name, *(sa.column(c, t) for c, t in columns.items()))
