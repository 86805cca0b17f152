"""Replacing a partition: exact, atomic, and loud about tables left by another version."""

from datetime import date, datetime

import duckdb
import pytest

from sop.warehouse import SchemaMismatchError, replace_partition, scalar, transaction

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
    con.execute("create table raw_loads (plan_month date, extract varchar)")
    with pytest.raises(
        SchemaMismatchError, match=r"table raw_loads in the warehouse has columns \['plan_month', 'extract'\]"
    ):
        _replace(con, "sales", 1)
