"""Publishing a month: its drafts become the published tables, all in one transaction.

Every stage of a month writes its tables as drafts (`draft.<table>`) and reads the drafts of the
stages before it; nothing a reader sees changes until every stage has run and every blocking
check has passed. Then `publish_month` moves each draft's month into its published table in one
DuckDB transaction: a reader, or a process killed at any moment, sees the whole old month or the
whole new one, never a new forecast beside an old plan.
"""

from __future__ import annotations

from datetime import date

import duckdb

from sop.core import tables
from sop.core.tables import PUBLISHED, draft
from sop.core.warehouse import document, quote_identifier, quote_table, scalar, transaction


def publish_month(con: duckdb.DuckDBPyConnection, plan_month: date) -> dict[str, int]:
    """Publishes every table's draft of the month; returns the rows published per table."""
    with transaction(con):
        return {table: publish_table(con, table, plan_month) for table in PUBLISHED}


def is_published(con: duckdb.DuckDBPyConnection, plan_month: date) -> bool:
    """Whether the month has a published plan."""
    sql = f"select count(*) from {tables.CONSOLIDATED_PLAN} where plan_month = $plan_month"
    return scalar(con, sql, {"plan_month": plan_month}) > 0


def publish_table(con: duckdb.DuckDBPyConnection, table: str, plan_month: date) -> int:
    """Replaces the table's month with its draft's, and clears the draft. Call inside `transaction()`."""
    source = draft(table)
    month = {"plan_month": plan_month}
    target, drafted = quote_identifier(table), quote_table(source)
    con.execute(f"delete from {target} where plan_month = $plan_month", month)
    con.execute(f"insert into {target} by name select * from {drafted} where plan_month = $plan_month", month)
    con.execute(f"delete from {drafted} where plan_month = $plan_month", month)
    document(con, table)
    return int(scalar(con, f"select count(*) from {target} where plan_month = $plan_month", month))
