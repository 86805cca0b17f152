"""The checks against history on the edges a clean company never shows: a family that sells nearly all in
the late region, series the extract lists at zero, a change from nothing, a budget or stock gone, and a
month before that its own run refused. Staged rows are changed in DuckDB; the checks run as the job
calls them."""

import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from sop.core import connect, ensure_tables
from sop.core.config import ChecksConfig
from sop.core.months import parse_month
from sop.intake import stage_month
from sop.intake.contract import REQUIRED_EXTRACTS
from sop.intake.history import HistoryReport, check_history
from sop.sample_data import write_sample_extracts
from tests.deployment import MONTH, NEXT_MONTH, SMALL

PLAN_MONTH, PREVIOUS = parse_month(NEXT_MONTH), parse_month(MONTH)
LAST_MONTH = "2026-10-01"


@pytest.fixture(scope="module")
def staged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse with the two months' clean extracts landed and staged."""
    root = tmp_path_factory.mktemp("staged")
    with connect(root / "sop.duckdb") as con:
        ensure_tables(con)
        for month in (MONTH, NEXT_MONTH):
            write_sample_extracts(root / "extracts", month, SMALL)
            stage_month(con, root / "extracts", parse_month(month))
    return root / "sop.duckdb"


@pytest.fixture
def con(staged: Path, tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    shutil.copyfile(staged, tmp_path / "sop.duckdb")
    with connect(tmp_path / "sop.duckdb") as connection:
        yield connection


def _found_last_month(
    con: duckdb.DuckDBPyConnection,
    severity: str,
    detail: str,
    families: str,
    region: str | None = None,
    months: str | None = None,
) -> None:
    """A finding of the sales checks against history in the month before, for each family `families` selects."""
    con.execute(
        "insert into validation_results (plan_month, extract, check_name, severity, detail, product_family,"
        f" region, months) select $month, 'sales', 'sales_history', $severity, $detail, product_family,"
        f" $region, $months from ({families})",
        {"month": PREVIOUS, "severity": severity, "detail": detail, "region": region, "months": months},
    )


def _found(con: duckdb.DuckDBPyConnection, extract: str) -> HistoryReport:
    return check_history(con, extract, PLAN_MONTH, ChecksConfig())


def _messages(report: HistoryReport, check: str) -> list[str]:
    return [finding.message for finding in report.findings if finding.check == check]


def test_the_clean_months_raise_nothing(con: duckdb.DuckDBPyConnection) -> None:
    assert [finding for extract in REQUIRED_EXTRACTS for finding in _found(con, extract).findings] == []


def test_a_family_selling_nearly_all_in_a_late_region_is_no_level_break(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        "update stg_sales set units = units * 0.05"
        " where plan_month = $month and product_family = 'Garden' and region = 'North'",
        {"month": PLAN_MONTH},
    )
    con.execute(
        "delete from stg_sales where plan_month = $month and region = 'South' and month = $last",
        {"month": PLAN_MONTH, "last": LAST_MONTH},
    )

    report = _found(con, "sales")

    assert any(
        "South's 2026-10 sales of Garden are missing" in message for message in _messages(report, "sales_coverage")
    )
    assert _messages(report, "sales_level_break") == []


def test_series_listed_at_zero_in_both_months_are_no_stale_copy(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        "insert into stg_sales by name"
        " select $month as plan_month, month::date as month, 'ZERO-' || i as sku, 'Garden' as product_family,"
        " 'North' as region, 0.0 as units, 0.0 as net_revenue, 0 as _source_row"
        " from range(1000) as t(i), (values ('2026-09-01'), ($last)) as m(month)",
        {"month": PLAN_MONTH, "last": LAST_MONTH},
    )

    assert _messages(_found(con, "sales"), "sales_stale_copy") == []


def test_a_family_new_to_the_history_is_restated_from_nothing(con: duckdb.DuckDBPyConnection) -> None:
    sku = con.execute(
        "select min(sku) from stg_sales where plan_month = $month and product_family = 'Garden'", {"month": PLAN_MONTH}
    ).fetchall()[0][0]
    con.execute(
        "update stg_sales set product_family = 'Outdoor' where plan_month = $month and sku = $sku",
        {"month": PLAN_MONTH, "sku": sku},
    )

    (message,) = [message for message in _messages(_found(con, "sales"), "sales_restatement") if "Outdoor" in message]

    assert "0 units then" in message and "(n/a)" in message


def test_a_family_gone_from_the_budget_is_a_rewrite(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        "delete from stg_financials where plan_month = $month and product_family = 'Garden'", {"month": PLAN_MONTH}
    )

    messages = _messages(_found(con, "financials"), "budget_rewritten")

    assert any(message.startswith("Garden's 2027 budget was rewritten") and "0 now" in message for message in messages)


def test_a_family_whose_stock_is_gone_is_named(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        "delete from stg_inventory where plan_month = $month"
        " and sku in (select sku from stg_sales where product_family = 'Hand Tools')",
        {"month": PLAN_MONTH},
    )

    (message,) = _messages(_found(con, "inventory"), "inventory_on_hand")

    assert message.startswith("Hand Tools's stock on hand at the end of 2026-10 is 0 units") and "(gone)" in message


@pytest.mark.parametrize("refused", [False, True], ids=["ran", "refused"])
def test_the_month_before_is_compared_with_unless_its_run_refused_the_extract(
    con: duckdb.DuckDBPyConnection, refused: bool
) -> None:
    con.execute(
        "update stg_sales set units = units * 2 where plan_month = $month and month = '2026-03-01'",
        {"month": PREVIOUS},
    )
    if refused:
        _found_last_month(con, "error", "sales_stale_copy: a copy", "select null as product_family")

    restated = _messages(_found(con, "sales"), "sales_restatement")

    assert (restated == []) == refused, restated


@pytest.mark.parametrize("warned", [True, False], ids=["warned of then", "not warned of"])
def test_a_late_region_arriving_is_no_restatement_once_it_was_warned_of(
    con: duckdb.DuckDBPyConnection, warned: bool
) -> None:
    con.execute(
        "delete from stg_sales where plan_month = $month and region = 'South' and month = '2026-09-01'",
        {"month": PREVIOUS},
    )
    if warned:
        families = "select distinct product_family from stg_sales where plan_month = $month"
        _found_last_month(con, "warning", "sales_coverage: late", families, region="South", months="2026-09")

    restated = [message for message in _messages(_found(con, "sales"), "sales_restatement") if "2026-09" in message]

    assert (restated == []) == warned, restated
