"""DuckDB plumbing: connections, the tables' contracts, and atomic replacement of a partition.

Every table of the warehouse carries a `plan_month` column; re-running a month deletes that
month's rows and inserts the new ones in one transaction, so a failure leaves the month as
it was and a re-run never duplicates rows.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, nullcontext
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pyarrow as pa

from sop.core.models import UPGRADE_SUFFIX, contract_columns, model_paths, sql_text
from sop.core.tables import (
    APPROVED_SCHEMA,
    DRAFT_MANIFEST,
    DRAFT_SCHEMA,
    MANIFEST,
    PUBLISHED,
    WITH_CONTRACT,
    approved,
    draft,
)

_PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


LOCK_WAIT_SECONDS = 900.0
"""How long a step waits for another process to let go of the warehouse before it gives up."""


def connect(path: Path, read_only: bool = False, wait_seconds: float = LOCK_WAIT_SECONDS) -> duckdb.DuckDBPyConnection:
    """A connection to the DuckDB file, waiting while another process holds it.

    DuckDB lets one process write a file, and no other process even read it meanwhile. Dagster
    runs one step at a time in the warehouse pool, but runs of two months started outside one
    instance (two shells, a backfill beside a manual run) still meet here: the later one waits
    its turn instead of failing.
    """
    deadline = time.monotonic() + wait_seconds
    pause = 0.2
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as error:
            if "lock" not in str(error).lower() or time.monotonic() + pause > deadline:
                raise
            time.sleep(pause)
            pause = min(pause * 2, 5.0)


def define_macros(con: duckdb.DuckDBPyConnection) -> None:
    """The connection's SQL macros (`sql/macros.sql`), for statements that use them."""
    con.execute(sql_text("macros"))


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def quote_table(name: str) -> str:
    """A table's name as SQL reads it, schema included (`approved.consolidated_plan`)."""
    return ".".join(quote_identifier(part) for part in name.split("."))


def bind(sql: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """The subset of `params` the statement names: DuckDB rejects unused named parameters."""
    wanted = set(_PARAMETER.findall(sql))
    missing = wanted - params.keys()
    if missing:
        raise KeyError(f"SQL parameters without a value: {sorted(missing)}")
    return {name: params[name] for name in wanted}


def query(con: duckdb.DuckDBPyConnection, name: str, params: Mapping[str, Any] | None = None) -> pl.DataFrame:
    sql = sql_text(name)
    with one_thread(con):
        return con.sql(sql, params=bind(sql, params or {})).pl()


@contextmanager
def one_thread(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Runs the block on one DuckDB thread: threads add up a float sum in whatever order they
    finish, so the same inputs could give outputs that differ in the last digit from run to run.
    The project's statements aggregate thousands to millions of rows, where one thread is fast."""
    threads = scalar(con, "select current_setting('threads')")
    con.execute("set threads = 1")
    try:
        yield
    finally:
        con.execute(f"set threads = {int(threads)}")


def materialize_intermediate(
    con: duckdb.DuckDBPyConnection,
    name: str,
    params: Mapping[str, Any],
    frames: Mapping[str, pl.DataFrame | pa.Table] | None = None,
) -> None:
    """Makes an intermediate model a temporary table of the connection, for the models that read it
    by name: its rows stay in DuckDB."""
    sql = sql_text(name)
    with registered(con, frames or {}), one_thread(con):
        con.execute(f"create or replace temp table {quote_identifier(name)} as {sql}", bind(sql, params))


def read_partition(
    con: duckdb.DuckDBPyConnection, table: str, partition: Mapping[str, Any], limit: int | None = None
) -> pl.DataFrame:
    where = " and ".join(f"{quote_identifier(column)} = ${column}" for column in partition)
    sql = f"select * from {quote_table(table)} where {where}"
    if limit is not None:
        sql += f" limit {int(limit)}"
    return con.sql(sql, params=dict(partition)).pl()


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, frames: Mapping[str, pl.DataFrame | pa.Table]) -> Iterator[None]:
    """Makes in-memory frames queryable by name for the duration of the block."""
    for name, frame in frames.items():
        con.register(name, frame.to_arrow() if isinstance(frame, pl.DataFrame) else frame)
    try:
        yield
    finally:
        for name in frames:
            con.unregister(name)


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """All or nothing: readers see the warehouse before or after the block, never half of it."""
    con.execute("begin transaction")
    try:
        yield
    except BaseException:
        con.execute("rollback")
        raise
    con.execute("commit")


def replace_partition(
    con: duckdb.DuckDBPyConnection,
    table: str,
    partition: Mapping[str, Any],
    params: Mapping[str, Any] | None = None,
    frames: Mapping[str, pl.DataFrame | pa.Table] | None = None,
    into: str | None = None,
    sums: bool = True,
) -> int:
    """Rebuilds the rows of `table` (or of `into`) matching `partition` from its model (`sop.core.models`);
    returns their count.

    Call it inside `transaction()`. The partition's values are also bound as SQL parameters.
    The table is created from the query's own (explicitly cast) column types on first use.
    `sums=False` lets a statement without floating-point aggregation use every thread.
    """
    sql = sql_text(table)
    bound = bind(sql, {**partition, **(params or {})})
    name = into or table
    target = quote_table(name)
    where = " and ".join(f"{quote_identifier(column)} = ${column}" for column in partition)
    with registered(con, frames or {}), one_thread(con) if sums else nullcontext():
        con.execute(f"create table if not exists {target} as select * from ({sql}) limit 0", bound)
        require_same_columns(con, name, sql, bound)
        con.execute(f"delete from {target} where {where}", dict(partition))
        con.execute(f"insert into {target} by name {sql}", bound)
    if name in WITH_CONTRACT:
        document(con, name)
    return int(scalar(con, f"select count(*) from {target} where {where}", partition))


def clear_month(con: duckdb.DuckDBPyConnection, table: str, plan_month: date) -> None:
    """Deletes the plan month's rows of a table built in parts (one per scenario), so that a part
    no longer built (a scenario taken out of the configuration) does not linger."""
    if table_exists(con, table):
        con.execute(f"delete from {quote_table(table)} where plan_month = $plan_month", {"plan_month": plan_month})


def document(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """Applies the comments of the table's contract (`<table>.contract.sql`), its data dictionary."""
    con.execute(sql_text(f"{table}.contract"))


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Creates every table with a contract (and each published table's draft and approved versions)
    that the warehouse lacks, empty, so that every stage can read the months before it from the first
    month on; a stored table gets the columns a newer contract adds at its end."""
    wanted = {name: contract_columns(table) for table in WITH_CONTRACT for name in (table, *_companions(table))}
    # An approved version's number leads, so that columns a newer contract adds stay at the end.
    wanted |= {approved(table): (("approval", "INTEGER"), *contract_columns(table)) for table in PUBLISHED}
    for schema in (APPROVED_SCHEMA, DRAFT_SCHEMA):
        con.execute(f"create schema if not exists {quote_identifier(schema)}")
    if not table_exists(con, MANIFEST):
        con.execute(sql_text(DRAFT_MANIFEST))
    for table in PUBLISHED:
        # Versions before the draft schema kept the drafts beside the published tables, where BI tools list
        # them; a draft holds no published row (a run writes it again), so the old one simply goes.
        con.execute(f"drop table if exists main.{quote_identifier('draft_' + table)}")
    stored: dict[str, list[tuple[str, str]]] = {}
    listed = (
        "select schema_name, table_name, column_name, data_type from duckdb_columns()"
        " where database_name = current_database() and schema_name in ('main', $approved, $draft)"
        " order by schema_name, table_name, column_index"
    )
    schemas = {"approved": APPROVED_SCHEMA, "draft": DRAFT_SCHEMA}
    for schema, table, column, kind in con.execute(listed, schemas).fetchall():
        stored.setdefault(table if schema == "main" else f"{schema}.{table}", []).append((column, kind))
    for name, columns in wanted.items():
        if name not in stored:
            listed_columns = ", ".join(f"{quote_identifier(column)} {kind}" for column, kind in columns)
            con.execute(f"create table {quote_table(name)} ({listed_columns})")
            if name in WITH_CONTRACT:
                document(con, name)
            elif name.startswith(f"{APPROVED_SCHEMA}."):
                table = name.removeprefix(f"{APPROVED_SCHEMA}.")
                note = (
                    f"The approved versions of {table}: its columns, after the number of the approval (plan_approvals)."
                )
                con.execute(f"comment on table {quote_table(name)} is '{note}'")
        elif stored[name] != list(columns):
            _add_new_columns(con, name, columns)
    for table in WITH_CONTRACT:
        if table + UPGRADE_SUFFIX in model_paths():
            con.execute(sql_text(table + UPGRADE_SUFFIX))


UPGRADE_DEFAULTS = {"scenario": "'base'", "level": "'series'"}
"""What rows written before a column existed hold in it: a plan from before scenarios is the base plan,
a backtest from before family rows scored series."""


class SchemaMismatchError(Exception):
    """The warehouse holds a table with other columns than this version writes."""


def _companions(table: str) -> tuple[str, ...]:
    return (draft(table),) if table in PUBLISHED else ()


def require_same_columns(con: duckdb.DuckDBPyConnection, table: str, sql: str, params: Mapping[str, Any]) -> None:
    """What a statement writes must be what the table holds: the same columns with the same types.
    Columns this version adds at the end of a table are added to the stored one (earlier plan months
    hold null there, or the column's `UPGRADE_DEFAULTS` value), so that an upgrade keeps the history;
    any other difference stops."""
    written = [(name, kind) for name, kind, *_ in con.execute(f"describe {sql}", dict(params)).fetchall()]
    _add_new_columns(con, table, written)
    stored = [(name, kind) for name, kind, *_ in con.execute(f"describe {quote_table(table)}").fetchall()]
    if stored != written:
        raise SchemaMismatchError(f"table {table} in the warehouse holds {stored}, but this version writes {written}.")


def _add_new_columns(con: duckdb.DuckDBPyConnection, table: str, columns: list[tuple[str, str]] | tuple) -> None:
    stored = [row[0] for row in con.execute(f"describe {quote_table(table)}").fetchall()]
    names = [name for name, _ in columns]
    if names[: len(stored)] != stored:
        raise SchemaMismatchError(
            f"table {table} in the warehouse has columns {stored}, but this version writes {names}."
            f" Drop the table (it is rebuilt from the extracts) or migrate it, then run again."
        )
    for name, kind in columns[len(stored) :]:
        default = f" default {UPGRADE_DEFAULTS[name]}" if name in UPGRADE_DEFAULTS else ""
        con.execute(f"alter table {quote_table(table)} add column {quote_identifier(name)} {kind}{default}")


def create_views(con: duckdb.DuckDBPyConnection, names: tuple[str, ...], temporary: bool = False) -> None:
    """Views of the models, each with its model's opening comment as its own (what catalogs and
    `data_dictionary` show); `temporary` ones live as long as the connection, for the statements after them."""
    kind = "temp view" if temporary else "view"
    for name in names:
        con.execute(f"create or replace {kind} {quote_identifier(name)} as {sql_text(name)}")
        if not temporary:
            con.execute(f"comment on view {quote_identifier(name)} is {model_description(name)}")


def model_description(name: str) -> str:
    """The model's opening comment, without its name, as a SQL string literal."""
    return "'" + model_summary(name).replace("'", "''") + "'"


def model_summary(name: str) -> str:
    """The model's opening comment, without its name."""
    lines = []
    for line in sql_text(name).splitlines():
        if not line.startswith("--"):
            break
        lines.append(line.removeprefix("--").strip())
    return " ".join(lines).removeprefix(f"{name}:").strip()


def table_exists(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    """Whether the table (`name`, or `schema.name`) exists."""
    schema, _, name = table.rpartition(".")
    sql = "select count(*) from information_schema.tables where table_schema = $schema and table_name = $table"
    return bool(scalar(con, sql, {"schema": schema or "main", "table": name}))


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: Mapping[str, Any] | None = None) -> Any:
    """The first value of a one-row query; fetches everything, since DuckDB 2.0 blocks a
    connection whose last result was only partly read (`fetchone`)."""
    return con.execute(sql, dict(params or {})).fetchall()[0][0]
