"""The risk register: one row per risk of the plan month, with its severity, history and a suggested action.

The risks come from `sql/int_risk_candidates.sql` (the plan, the financial outlook and the data-quality
warnings of the month's extracts); thresholds, severities and the action templates are in
`RiskConfig`. A risk is recurring when last month's register had it (same family, kind and month),
and keeps the plan month it was first seen.
"""

from __future__ import annotations

import math
from datetime import date

import duckdb
import polars as pl

from sop.core.config import RiskConfig
from sop.core.months import add_months
from sop.core.warehouse import (
    clear_month,
    draft,
    query,
    read_partition,
    registered,
    replace_partition,
    table_exists,
    transaction,
)
from sop.forecast.accuracy import SUMMARY_TABLE
from sop.plan.consolidated import RISK_LEVELS, plan_scenarios
from sop.plan.scenarios import BASE, of_scenario

RISK_TABLE = "risk_register"
KEY = ["product_family", "kind", "month", "subject"]
"""What makes a risk the same risk from one month to the next: a data-quality risk has no family
or month, its subject (extract, column and rule) tells it apart. Not the period, which for a
long-horizon gap moves with the plan month."""
KINDS = (
    "unmet_demand",
    "capacity_overload",
    "below_safety_stock",
    "excess_inventory",
    "revenue_below_budget",
    "long_horizon_gap",
    "low_forecast_accuracy",
    "data_quality",
)


def build_risk_register(con: duckdb.DuckDBPyConnection, plan_month: date, config: RiskConfig) -> int:
    """Rebuilds the plan month's risk register; returns its rows."""
    _check(config)
    params = {
        "plan_month": plan_month,
        "unmet_tolerance_units": config.unmet_tolerance_units,
        "unmet_tolerance_share": config.unmet_tolerance_share,
        "excess_days": config.excess_days_of_supply,
        "revenue_gap_pct": config.revenue_gap_pct,
        "long_horizon_from": config.long_horizon_from,
        "long_gap_pct": config.long_horizon_gap_pct,
        "wape_limit": config.wape_limit,
        "bias_limit": config.bias_limit,
        "accuracy_min_months": config.accuracy_min_months,
    }
    frames = {
        "quality_warnings": quality_warnings(con, plan_month),
        "family_accuracy": family_accuracy(con, plan_month),
    }
    count = 0
    with transaction(con):
        clear_month(con, draft(RISK_TABLE), plan_month)
        for scenario in plan_scenarios(con, plan_month):
            with registered(con, frames):
                candidates = query(con, "int_risk_candidates", params | {"scenario": scenario})
            rows = with_history(candidates, previous_register(con, plan_month, scenario), plan_month)
            rows = rows.with_columns(
                pl.col("kind").replace_strict(config.severity).alias("severity"),
                pl.struct(pl.all())
                .map_elements(lambda risk: _action(risk, config), return_dtype=pl.String)
                .alias("action"),
            )
            partition = {"plan_month": plan_month, "scenario": scenario}
            count += replace_partition(con, RISK_TABLE, partition, frames={"risk_rows": rows}, into=draft(RISK_TABLE))
    return count


def quality_warnings(con: duckdb.DuckDBPyConnection, plan_month: date) -> pl.DataFrame:
    """The warning-level rules the plan month's extracts broke (errors stop the month before this)."""
    empty = pl.DataFrame(
        schema={"extract": pl.String, "column_name": pl.String, "rule": pl.String, "failing_rows": pl.Int64}
    )
    if not table_exists(con, "validation_results"):
        return empty
    results = read_partition(con, "validation_results", {"plan_month": plan_month})
    return results.filter(pl.col("severity") == "warning").select(empty.columns)


def family_accuracy(con: duckdb.DuckDBPyConnection, plan_month: date) -> pl.DataFrame:
    """Each family's lag-1 forecast accuracy over the recent months (`sop.forecast.accuracy`)."""
    empty = pl.DataFrame(
        schema={"product_family": pl.String, "months": pl.Int32, "wape": pl.Float64, "bias": pl.Float64}
    )
    if not table_exists(con, draft(SUMMARY_TABLE)):
        return empty
    summary = read_partition(con, draft(SUMMARY_TABLE), {"plan_month": plan_month})
    return summary.filter((pl.col("level") == "family") & (pl.col("lag") == 1)).select(empty.columns)


def previous_register(con: duckdb.DuckDBPyConnection, plan_month: date, scenario: str = BASE) -> pl.DataFrame:
    """Last month's risks of the same scenario: their keys and when each was first seen."""
    columns = dict.fromkeys(KEY, pl.String) | {"month": pl.Date, "first_seen_plan_month": pl.Date}
    if not table_exists(con, RISK_TABLE):
        return pl.DataFrame(schema=columns)
    previous = of_scenario(read_partition(con, RISK_TABLE, {"plan_month": add_months(plan_month, -1)}), scenario)
    return previous.select(list(columns)).unique(subset=KEY, keep="first")


def with_history(candidates: pl.DataFrame, previous: pl.DataFrame, plan_month: date) -> pl.DataFrame:
    """Adds first_seen_plan_month and status (new, recurring) from last month's register."""
    return candidates.join(previous, on=KEY, how="left", nulls_equal=True).with_columns(
        pl.when(pl.col("first_seen_plan_month").is_null())
        .then(pl.lit("new"))
        .otherwise(pl.lit("recurring"))
        .alias("status"),
        pl.col("first_seen_plan_month").fill_null(plan_month),
    )


class _Value:
    """A template field: formats like its value, or as n/a where there is none (a missing budget)."""

    def __init__(self, value: object) -> None:
        self.value = value

    def __format__(self, spec: str) -> str:
        if self.value is None or (isinstance(self.value, float) and math.isnan(self.value)):
            return "n/a"
        return format(self.value, spec)


def _action(risk: dict, config: RiskConfig) -> str:
    fields = {"family": risk["product_family"], "period": risk["period"], "subject": risk["subject"]}
    fields |= {name: risk[name] for name in ("measure", "reference")}
    return config.actions[risk["kind"]].format(**{name: _Value(value) for name, value in fields.items()})


def _check(config: RiskConfig) -> None:
    for table in (config.severity, config.actions):
        if set(table) != set(KINDS):
            raise ValueError(f"every risk kind needs a severity and an action: {sorted(set(KINDS) ^ set(table))}")
    unknown = set(config.severity.values()) - set(RISK_LEVELS)
    if unknown:
        raise ValueError(f"risk severities must be among {RISK_LEVELS}, not {sorted(unknown)}")
