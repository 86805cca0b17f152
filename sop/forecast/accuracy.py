"""Forecast accuracy tracking: every published forecast against the actuals that arrived since.

The sales extract of plan month M holds the actuals up to M-1, so at M the forecasts published in
earlier plan months can be judged on the trailing `accuracy_months` up to M-1, at each lag
(`sql/forecast_accuracy.sql`), and summarized per level and lag (`sql/forecast_accuracy_summary.sql`).
A plan month whose forecast was never run simply has nothing to judge.
"""

from __future__ import annotations

from datetime import date

import duckdb

from sop.core.config import AccuracyConfig
from sop.core.months import add_months
from sop.core.warehouse import draft, replace_partition, transaction
from sop.publish.drafts import ensure_published

FORECAST_TABLE = "sku_forecast"
DETAIL_TABLE = "forecast_accuracy"
SUMMARY_TABLE = "forecast_accuracy_summary"


def track_accuracy(con: duckdb.DuckDBPyConnection, plan_month: date, config: AccuracyConfig) -> tuple[int, int]:
    """Rebuilds the plan month's accuracy detail and summary; returns their row counts."""
    params = {
        "first_month": add_months(plan_month, -config.accuracy_months),
        "last_month": add_months(plan_month, -1),
        "lags": list(config.lags),
    }
    partition = {"plan_month": plan_month}
    with transaction(con):
        ensure_published(con, FORECAST_TABLE)
        detail = replace_partition(con, DETAIL_TABLE, partition, params, into=draft(DETAIL_TABLE))
        summary = replace_partition(con, SUMMARY_TABLE, partition, into=draft(SUMMARY_TABLE))
    return detail, summary
