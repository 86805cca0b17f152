"""Operating the monthly run: a backfill of six months (runs killed at any moment: test_crashes.py)."""

import itertools
from pathlib import Path

import polars as pl

from sop.core.months import add_months, month_label, parse_month
from sop.sample_data import write_sample_extracts
from tests.deployment import MONTH, SMALL, new_deployment

BACKFILL_MONTHS = 6
"""Enough for the last month to judge five months at lag 1 and three at lag 3 (its trailing window of
six months reaches back before the first plan month); 9 fill the window at both lags, at 50% more time."""


def test_a_backfill_compares_each_plan_with_the_month_before_and_judges_every_lag(tmp_path: Path) -> None:
    deployment = new_deployment(tmp_path)
    last = parse_month(MONTH)
    months = [month_label(add_months(last, offset - BACKFILL_MONTHS + 1)) for offset in range(BACKFILL_MONTHS)]
    for month in months:
        write_sample_extracts(tmp_path / "extracts", month, SMALL)
    for month in months:
        assert deployment.run(month).success, month
    for previous, month in itertools.pairwise(months):
        changes = deployment.table("plan_changes", month)
        assert set(changes["prev_plan_month"]) == {parse_month(previous)}
        drivers = changes["demand_effect"] + changes["supply_effect"] + changes["price_effect"]
        assert (drivers - changes["change_plan_revenue"]).abs().max() < 1e-6
    accuracy = deployment.table("forecast_accuracy_summary", months[-1]).filter(pl.col("level") == "total")
    assert dict(accuracy.select("lag", "months").iter_rows()) == {1: 5, 3: 3}
    # With months of history to aggregate, a re-run still gives the same bytes (one DuckDB thread
    # per statement: float sums otherwise depend on which thread finishes first).
    published = deployment.published(months[-1])
    assert deployment.run(months[-1]).success
    assert deployment.published(months[-1]) == published
