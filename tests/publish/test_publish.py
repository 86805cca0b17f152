"""Publishing a month: all its tables at once, or none; and only the drafts of the run that publishes."""

from datetime import date

import duckdb
import pytest

from sop.core.models import sql_text
from sop.core.tables import CONSOLIDATED_PLAN, DRAFT_MANIFEST, DRAFT_SCHEMA, MANIFEST, PUBLISHED, draft
from sop.core.warehouse import scalar
from sop.publish.drafts import IncompleteDraftsError, Writer, publish_month, sign_drafts

NOVEMBER, DECEMBER = date(2026, 11, 1), date(2026, 12, 1)
RUN = Writer("run-a", "run-a")


@pytest.fixture(autouse=True)
def no_comments(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tables here have one made-up column: the data dictionary's comments are not theirs."""
    monkeypatch.setattr("sop.publish.drafts.document", lambda con, table: None)


def _tables(con: duckdb.DuckDBPyConnection, value: float, drafts: bool = True) -> None:
    """Every published table with last month's and this month's row, and this month's drafts, signed by RUN."""
    con.execute(f"create schema if not exists {DRAFT_SCHEMA}")
    con.execute(sql_text(DRAFT_MANIFEST))
    for table in PUBLISHED:
        con.execute(f"create table {table} (plan_month date, value double)")
        con.execute(f"insert into {table} values (date '2026-11-01', 1.0), (date '2026-12-01', 1.0)")
        if drafts:
            con.execute(f"create table {draft(table)} as select date '2026-12-01' as plan_month, {value} as value")
    if drafts:
        sign_drafts(con, DECEMBER, RUN, PUBLISHED)


def _values(con: duckdb.DuckDBPyConnection, month: date) -> set[float]:
    return {scalar(con, f"select value from {table} where plan_month = $m", {"m": month}) for table in PUBLISHED}


def _refused(con: duckdb.DuckDBPyConnection, writer: Writer = RUN) -> str:
    with pytest.raises(IncompleteDraftsError) as refusal:
        publish_month(con, DECEMBER, writer)
    assert _values(con, DECEMBER) == {1.0}  # not one table changed
    return str(refusal.value)


def test_every_table_gets_the_months_draft_and_the_drafts_are_cleared(bare_con: duckdb.DuckDBPyConnection) -> None:
    con = bare_con
    _tables(con, 2.0)
    assert publish_month(con, DECEMBER, RUN) == dict.fromkeys(PUBLISHED, 1)
    assert _values(con, DECEMBER) == {2.0}
    assert _values(con, NOVEMBER) == {1.0}
    assert all(scalar(con, f"select count(*) from {draft(table)}") == 0 for table in PUBLISHED)
    assert scalar(con, f"select count(*) from {MANIFEST}") == 0


def test_a_table_that_fails_to_publish_leaves_every_table_as_it_was(bare_con: duckdb.DuckDBPyConnection) -> None:
    con = bare_con
    _tables(con, 2.0)
    # The last table's draft has a column its published table lacks: every table before it was published.
    con.execute(f"alter table {draft(PUBLISHED[-1])} add column surplus double")
    with pytest.raises(duckdb.BinderException, match="surplus"):
        publish_month(con, DECEMBER, RUN)
    assert _values(con, DECEMBER) == {1.0}  # not one table changed


def test_a_draft_another_run_wrote_is_not_published_and_the_message_names_it(
    bare_con: duckdb.DuckDBPyConnection,
) -> None:
    con = bare_con
    _tables(con, 2.0)
    sign_drafts(con, DECEMBER, Writer("run-b", "run-b"), ("risk_register",))
    message = _refused(con)
    assert "Plan month 2026-12 was not published: the drafts of run run-a are incomplete." in message
    assert "risk_register: its draft was written by another run, run-b, at " in message
    assert "The month published before is unchanged." in message


def test_a_draft_deleted_after_its_step_wrote_it_is_not_published(bare_con: duckdb.DuckDBPyConnection) -> None:
    con = bare_con
    _tables(con, 2.0)
    con.execute(f"delete from {draft('sku_forecast')}")
    assert "sku_forecast: its draft holds 0 row(s), but the step of run run-a wrote 1." in _refused(con)


def test_a_table_no_step_of_the_run_drafted_is_named(bare_con: duckdb.DuckDBPyConnection) -> None:
    con = bare_con
    _tables(con, 2.0)
    con.execute(f"delete from {MANIFEST} where table_name = 'demand_plan'")
    assert "demand_plan: no step of this run wrote its draft (1 row(s) there unsigned)." in _refused(con)


def test_an_empty_plan_is_never_published_over_a_full_one(bare_con: duckdb.DuckDBPyConnection) -> None:
    con = bare_con
    _tables(con, 2.0)
    con.execute(f"delete from {draft(CONSOLIDATED_PLAN)}")
    sign_drafts(con, DECEMBER, RUN, (CONSOLIDATED_PLAN,))
    assert "consolidated_plan: its draft is empty, and a planned month always has rows there." in _refused(con)


def test_a_re_execution_publishes_the_drafts_of_its_lineage(bare_con: duckdb.DuckDBPyConnection) -> None:
    con = bare_con
    _tables(con, 2.0)
    re_execution = Writer("run-c", lineage=RUN.run_id)
    sign_drafts(con, DECEMBER, re_execution, ("risk_register",))
    assert publish_month(con, DECEMBER, re_execution) == dict.fromkeys(PUBLISHED, 1)
    assert _values(con, DECEMBER) == {2.0}
