"""Publishing a month: its drafts become the published tables, all in one transaction.

Every stage of a month writes its tables as drafts (`draft.<table>`) and reads the drafts of the
stages before it; nothing a reader sees changes until every stage has run and every blocking
check has passed. Then `publish_month` moves each draft's month into its published table in one
DuckDB transaction: a reader, or a process killed at any moment, sees the whole old month or the
whole new one, never a new forecast beside an old plan.

Drafts belong to the run that wrote them: each step signs its drafts with its run and the rows it wrote
(`draft.manifest`), and a month is published only when every table's draft is signed by the publishing
run's lineage and still holds those rows. A draft another run wrote, one deleted or cut short, or a
table never drafted stops the publishing, and the month published before stays as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import duckdb

from sop.core import tables
from sop.core.months import month_label
from sop.core.tables import MANIFEST, PUBLISHED, draft
from sop.core.warehouse import document, quote_identifier, quote_table, scalar, transaction

NEVER_EMPTY = (tables.CONSOLIDATED_PLAN, tables.PLAN_SETTINGS)
"""Tables every planned month has rows in: an empty draft of these is a broken run, not an empty month."""


@dataclass(frozen=True)
class Writer:
    """The run that writes a month's drafts, and its lineage: the run it re-executes (Dagster's root run),
    else itself. A re-execution from a failed step publishes the drafts its lineage wrote before it."""

    run_id: str
    lineage: str


class IncompleteDraftsError(Exception):
    """A month whose drafts are not all its publishing run's, whole: nothing was published."""


def sign_drafts(con: duckdb.DuckDBPyConnection, plan_month: date, writer: Writer, written: tuple[str, ...]) -> None:
    """Records the month's drafts of `written` as the writer's, with the rows they hold now."""
    signed_at = datetime.now(UTC).replace(tzinfo=None)
    with transaction(con):
        for table in written:
            key = {"plan_month": plan_month, "table": table}
            con.execute(f"delete from {MANIFEST} where plan_month = $plan_month and table_name = $table", key)
            con.execute(
                f"insert into {MANIFEST} values ($plan_month, $table, $run_id, $lineage, $rows, $signed_at)",
                key
                | {"run_id": writer.run_id, "lineage": writer.lineage, "signed_at": signed_at}
                | {"rows": _draft_rows(con, table, plan_month)},
            )


def _draft_rows(con: duckdb.DuckDBPyConnection, table: str, plan_month: date) -> int:
    sql = f"select count(*) from {quote_table(draft(table))} where plan_month = $plan_month"
    return int(scalar(con, sql, {"plan_month": plan_month}))


def publish_month(con: duckdb.DuckDBPyConnection, plan_month: date, writer: Writer) -> dict[str, int]:
    """Publishes every table's draft of the month, if all are the writer's lineage's and whole; returns the
    rows published per table. Raises `IncompleteDraftsError`, naming each table that is not, otherwise."""
    with transaction(con):
        if problems := draft_problems(con, plan_month, writer):
            raise IncompleteDraftsError(
                f"Plan month {month_label(plan_month)} was not published: the drafts of run {writer.run_id} are"
                " incomplete.\n  " + "\n  ".join(problems) + "\nThe month published before is unchanged."
                f" Run the whole month again (uv run sop-run --month {month_label(plan_month)} --history 0,"
                " or materialize every asset of the partition)."
            )
        published = {table: publish_table(con, table, plan_month) for table in PUBLISHED}
        con.execute(f"delete from {MANIFEST} where plan_month = $plan_month", {"plan_month": plan_month})
        return published


def draft_problems(con: duckdb.DuckDBPyConnection, plan_month: date, writer: Writer) -> list[str]:
    """What keeps the month's drafts from being published by the writer: one line per table."""
    signed = {
        table: (run_id, lineage, rows, signed_at)
        for table, run_id, lineage, rows, signed_at in con.execute(
            f"select table_name, run_id, lineage, rows, signed_at from {MANIFEST} where plan_month = $plan_month",
            {"plan_month": plan_month},
        ).fetchall()
    }
    problems = []
    for table in PUBLISHED:
        held = _draft_rows(con, table, plan_month)
        if table not in signed:
            problems.append(f"{table}: no step of this run wrote its draft ({held} row(s) there unsigned).")
            continue
        run_id, lineage, rows, signed_at = signed[table]
        if lineage != writer.lineage:
            problems.append(
                f"{table}: its draft was written by another run, {run_id}, at {signed_at:%Y-%m-%d %H:%M:%S} UTC."
            )
        elif held != rows:
            problems.append(f"{table}: its draft holds {held} row(s), but the step of run {run_id} wrote {rows}.")
        elif held == 0 and table in NEVER_EMPTY:
            problems.append(f"{table}: its draft is empty, and a planned month always has rows there.")
    return problems


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
