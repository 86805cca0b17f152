"""Forecast accuracy tracking: every published forecast against the actuals that arrived since.

The sales extract of plan month M holds the actuals up to M-1, so at M the forecasts published in
earlier plan months can be judged on the trailing `accuracy_months` up to M-1, at each lag
(`sql/marts/forecast_accuracy.sql`), and summarized per level and lag
(`sql/marts/forecast_accuracy_summary.sql`), and the demand review's touch points judged step by step
(`sql/marts/forecast_value_added.sql`).
A plan month whose forecast was never run simply has nothing to judge.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb

from sop.core import tables
from sop.core.config import AccuracyConfig
from sop.core.months import add_months
from sop.core.warehouse import create_views, draft, replace_partition, transaction
from sop.intake.contract import SOURCES


@dataclass(frozen=True)
class TrackedAccuracy:
    detail: int
    summary: int
    value_added: int
    """Rows written to forecast_accuracy, forecast_accuracy_summary and forecast_value_added."""


STAIRSTEP = ("naive", "statistical", *SOURCES, "consensus")
"""The forecast value added's steps, in order: each judged over the step before it."""


def track_accuracy(con: duckdb.DuckDBPyConnection, plan_month: date, config: AccuracyConfig) -> TrackedAccuracy:
    """Rebuilds the plan month's accuracy detail, summary and the demand review's value added."""
    params = {
        "first_month": add_months(plan_month, -config.accuracy_months),
        "last_month": add_months(plan_month, -1),
        "lags": list(config.lags),
    }
    partition = {"plan_month": plan_month}
    records = (tables.PLAN_RECORDS, tables.RECORD_FORECAST, tables.RECORD_FAMILY_FORECAST, tables.RECORD_ADJUSTMENTS)
    create_views(con, records, temporary=True)
    with transaction(con):
        detail = replace_partition(
            con, tables.FORECAST_ACCURACY, partition, params, into=draft(tables.FORECAST_ACCURACY)
        )
        summary = replace_partition(
            con, tables.FORECAST_ACCURACY_SUMMARY, partition, into=draft(tables.FORECAST_ACCURACY_SUMMARY)
        )
        value_added = replace_partition(
            con,
            tables.FORECAST_VALUE_ADDED,
            partition,
            {"steps": list(STAIRSTEP)},
            into=draft(tables.FORECAST_VALUE_ADDED),
        )
    return TrackedAccuracy(detail, summary, value_added)
