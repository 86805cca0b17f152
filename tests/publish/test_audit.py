"""Write, audit, publish: each rule finds the draft rows that break it, and a broken rule stops the month
before anything is published."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from sop.core import parse_month, tables
from sop.core.tables import draft
from sop.publish import audit_table, audits
from tests.deployment import MONTH, Deployment, published_deployment

PLAN_MONTH = parse_month(MONTH)


@pytest.fixture
def drafted(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A published month copied back into its drafts, as its run left them before publishing."""
    deployment = published_deployment(tmp_path)
    with duckdb.connect(deployment.storage.warehouse) as con:
        for table in tables.PUBLISHED:
            con.execute(f"insert into {draft(table)} select * from {table}")
        yield con


def _failing(con: duckdb.DuckDBPyConnection, table: str = tables.CONSOLIDATED_PLAN) -> dict[str, int]:
    return {
        result.audit.name: result.failing_rows for result in audit_table(con, table, PLAN_MONTH) if not result.passed
    }


def test_a_month_as_the_pipeline_writes_it_keeps_every_rule(drafted: duckdb.DuckDBPyConnection) -> None:
    checked = {audit.table for audit in audits()}
    assert checked == set(tables.EXPORTED)
    assert {table: _failing(drafted, table) for table in checked} == {table: {} for table in checked}


@pytest.mark.parametrize(
    ("rule", "breach"),
    [
        ("supply_within_capacity", "supply_units = capacity_units + 10"),
        ("shipments_within_demand", "unmet_demand_units = consensus_units + 5"),
        ("shipments_within_demand", "unmet_demand_units = -0.5"),
        ("supply_and_stock_not_negative", "projected_inventory_units = -1"),
        ("margin_is_revenue_minus_cogs", "plan_gross_margin = round(plan_gross_margin + 0.01, 2)"),
        ("variances_as_defined", "variance_revenue = round(variance_revenue - 1, 2)"),
        ("variances_as_defined", "variance_revenue = null"),
        ("variances_as_defined", "variance_revenue_pct = 0.5"),
        ("money_in_cents", "plan_cogs = plan_cogs + 0.001"),
        ("family_demand_is_its_skus", "forecast_units = forecast_units + 1"),
        ("family_demand_is_its_skus", "consensus_units = consensus_units + 1, variance_units = variance_units + 1"),
    ],
)
def test_each_plan_rule_finds_the_row_that_breaks_it(
    drafted: duckdb.DuckDBPyConnection, rule: str, breach: str
) -> None:
    drafted.execute(
        f"update {draft(tables.CONSOLIDATED_PLAN)} set {breach}"
        " where scenario = 'base' and month = (select min(month) from consolidated_plan)"
        " and product_family = (select min(product_family) from consolidated_plan)"
    )
    assert _failing(drafted) == {rule: 1}


def test_an_outlook_total_other_than_its_families_breaks_its_rule(drafted: duckdb.DuckDBPyConnection) -> None:
    drafted.execute(
        f"update {draft(tables.FINANCIAL_OUTLOOK)} set outlook_revenue = outlook_revenue + 1"
        " where level = 'total' and scenario = 'base' and year = (select min(year) from financial_outlook)"
    )
    assert _failing(drafted, tables.FINANCIAL_OUTLOOK) == {"outlook_total_is_its_families": 1}


def test_a_row_twice_breaks_its_tables_grain(drafted: duckdb.DuckDBPyConnection) -> None:
    drafted.execute(f"insert into {draft(tables.SKU_FORECAST)} select * from {tables.SKU_FORECAST} limit 2")
    assert _failing(drafted, tables.SKU_FORECAST) == {"one_row_per_key": 2}


def test_a_broken_rule_stops_the_month_before_it_is_published(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    deployment: Deployment = published_deployment(tmp_path)
    before = deployment.published()
    # A grain the plan cannot keep: one row per plan month.
    monkeypatch.setitem(tables.GRAIN, tables.CONSOLIDATED_PLAN, ("plan_month",))
    result = deployment.run()
    assert not result.success
    failed = {
        (e.asset_key.to_user_string(), e.check_name) for e in result.get_asset_check_evaluations() if not e.passed
    }
    assert failed == {(tables.CONSOLIDATED_PLAN, "one_row_per_key")}
    ran = {event.step_key for event in result.get_step_success_events()}
    assert "published_month" not in ran and "parquet_export" not in ran
    assert deployment.published() == before
