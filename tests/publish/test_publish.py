"""Publishing a month: all its tables at once, or none."""

from datetime import date

import duckdb
import pytest

from sop.core.tables import DRAFT_SCHEMA, PUBLISHED, draft
from sop.core.warehouse import scalar
from sop.publish.drafts import publish_month

NOVEMBER, DECEMBER = date(2026, 11, 1), date(2026, 12, 1)


@pytest.fixture(autouse=True)
def no_comments(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tables here have one made-up column: the data dictionary's comments are not theirs."""
    monkeypatch.setattr("sop.publish.drafts.document", lambda con, table: None)


def _tables(con: duckdb.DuckDBPyConnection, value: float, drafts: bool = True) -> None:
    """Every published table with last month's and this month's row, and this month's drafts."""
    con.execute(f"create schema if not exists {DRAFT_SCHEMA}")
    for table in PUBLISHED:
        con.execute(f"create table {table} (plan_month date, value double)")
        con.execute(f"insert into {table} values (date '2026-11-01', 1.0), (date '2026-12-01', 1.0)")
        if drafts:
            con.execute(f"create table {draft(table)} as select date '2026-12-01' as plan_month, {value} as value")


def _values(con: duckdb.DuckDBPyConnection, month: date) -> set[float]:
    return {scalar(con, f"select value from {table} where plan_month = $m", {"m": month}) for table in PUBLISHED}


def test_every_table_gets_the_months_draft_and_the_drafts_are_cleared(bare_con: duckdb.DuckDBPyConnection) -> None:
    con = bare_con
    _tables(con, 2.0)
    assert publish_month(con, DECEMBER) == dict.fromkeys(PUBLISHED, 1)
    assert _values(con, DECEMBER) == {2.0}
    assert _values(con, NOVEMBER) == {1.0}
    assert all(scalar(con, f"select count(*) from {draft(table)}") == 0 for table in PUBLISHED)


def test_a_table_that_fails_to_publish_leaves_every_table_as_it_was(bare_con: duckdb.DuckDBPyConnection) -> None:
    con = bare_con
    _tables(con, 2.0)
    con.execute(f"drop table {draft(PUBLISHED[-1])}")
    with pytest.raises(duckdb.CatalogException, match=f"name {PUBLISHED[-1]} does not exist"):
        publish_month(con, DECEMBER)
    assert _values(con, DECEMBER) == {1.0}  # not one table changed
