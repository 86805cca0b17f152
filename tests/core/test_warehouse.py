"""Replacing a partition: exact, atomic, and loud about tables left by another version."""

from datetime import date, datetime

import duckdb
import pytest

from sop.core import tables
from sop.core.tables import draft
from sop.core.warehouse import (
    SchemaMismatchError,
    ensure_tables,
    replace_partition,
    scalar,
    table_exists,
    transaction,
)

NOVEMBER = date(2026, 11, 1)


def _load(extract: str, rows: int) -> dict:
    return {
        "source_file": f"{extract}.csv",
        "source_sha256": "0" * 64,
        "source_format": "csv",
        "row_count": rows,
        "header": ["a"],
        "missing_columns": [],
        "extra_columns": [],
        "loaded_at": datetime(2026, 11, 3),
    }


def _replace(con: duckdb.DuckDBPyConnection, extract: str, rows: int) -> int:
    with transaction(con):
        return replace_partition(con, "raw_loads", {"plan_month": NOVEMBER, "extract": extract}, _load(extract, rows))


def test_replacing_a_partition_touches_only_that_partition(con: duckdb.DuckDBPyConnection) -> None:
    _replace(con, "sales", 1)
    _replace(con, "capacity", 2)
    _replace(con, "sales", 3)
    rows = con.execute("select extract, row_count from raw_loads order by extract").fetchall()
    assert rows == [("capacity", 2), ("sales", 3)]


def test_a_failure_inside_the_transaction_leaves_the_partition_as_it_was(con: duckdb.DuckDBPyConnection) -> None:
    _replace(con, "sales", 1)
    with pytest.raises(RuntimeError), transaction(con):
        replace_partition(con, "raw_loads", {"plan_month": NOVEMBER, "extract": "sales"}, _load("sales", 9))
        raise RuntimeError("killed halfway")
    assert scalar(con, "select row_count from raw_loads where extract = 'sales'") == 1


def test_a_table_left_by_another_version_is_named_not_overwritten(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("create table raw_loads (plan_month date, file varchar)")
    with pytest.raises(
        SchemaMismatchError, match=r"table raw_loads in the warehouse has columns \['plan_month', 'file'\]"
    ):
        _replace(con, "sales", 1)


def test_columns_a_new_version_adds_at_the_end_are_added_and_the_history_kept(
    con: duckdb.DuckDBPyConnection,
) -> None:
    con.execute("create table raw_loads (plan_month date, extract varchar, source_file varchar)")
    con.execute("insert into raw_loads values (date '2026-10-01', 'sales', 'old.csv')")
    _replace(con, "sales", 4)
    rows = con.execute("select plan_month, source_file, row_count from raw_loads order by plan_month").fetchall()
    assert rows == [(date(2026, 10, 1), "old.csv", None), (NOVEMBER, "sales.csv", 4)]


def test_drafts_live_in_their_own_schema_and_those_of_versions_before_are_dropped(
    bare_con: duckdb.DuckDBPyConnection,
) -> None:
    bare_con.execute("create table draft_consolidated_plan (plan_month date)")  # as a version before left it
    ensure_tables(bare_con)
    main_tables = {row[0] for row in bare_con.execute("show tables").fetchall()}
    assert not any(name.startswith("draft") for name in main_tables)
    assert tables.CONSOLIDATED_PLAN in main_tables
    assert table_exists(bare_con, draft(tables.CONSOLIDATED_PLAN))
    assert {*tables.PUBLISHED, "manifest"} == {
        name
        for (name,) in bare_con.execute("select table_name from duckdb_tables() where schema_name = 'draft'").fetchall()
    }
