"""Publishing a month: its drafts become the published tables, all in one transaction.

Every stage of a month writes its tables as drafts (`draft_<table>`) and reads the drafts of the
stages before it; nothing a reader sees changes until every stage has run and every blocking
check has passed. Then `publish_month` moves each draft's month into its published table in one
DuckDB transaction: a reader, or a process killed at any moment, sees the whole old month or the
whole new one, never a new forecast beside an old plan.
"""

from __future__ import annotations

from datetime import date

import duckdb

from sop.core.months import month_label
from sop.core.warehouse import (
    document,
    draft,
    quote_identifier,
    require_same_columns,
    scalar,
    table_exists,
    transaction,
)
from sop.publish.parquet import EXPORTED_TABLES

PUBLISHED_TABLES = tuple(EXPORTED_TABLES)


def publish_month(con: duckdb.DuckDBPyConnection, plan_month: date) -> dict[str, int]:
    """Publishes every table's draft of the month; returns the rows published per table."""
    with transaction(con):
        return {table: publish_table(con, table, plan_month) for table in PUBLISHED_TABLES}


def publish_table(con: duckdb.DuckDBPyConnection, table: str, plan_month: date) -> int:
    """Replaces the table's month with its draft's, and clears the draft. Call inside `transaction()`."""
    source = draft(table)
    if not table_exists(con, source):
        raise LookupError(f"no draft of {table} for plan month {month_label(plan_month)}: run the month's stages first")
    ensure_published(con, table)
    month = {"plan_month": plan_month}
    target, drafted = quote_identifier(table), quote_identifier(source)
    con.execute(f"delete from {target} where plan_month = $plan_month", month)
    con.execute(f"insert into {target} by name select * from {drafted} where plan_month = $plan_month", month)
    con.execute(f"delete from {drafted} where plan_month = $plan_month", month)
    document(con, table)
    return int(scalar(con, f"select count(*) from {target} where plan_month = $plan_month", month))


def ensure_published(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """Creates the published table, empty, from its draft's columns if it does not exist yet (the
    first month reads earlier months from it before any month is published), and adds the columns
    a newer version's draft has (a warehouse upgraded between two months)."""
    if not table_exists(con, draft(table)):
        return  # nothing newer to take the columns from; the table is read as it is
    source = f"select * from {quote_identifier(draft(table))}"
    if not table_exists(con, table):
        con.execute(f"create table {quote_identifier(table)} as {source} limit 0")
    require_same_columns(con, table, source, {})
