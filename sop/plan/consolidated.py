"""The consolidated plan: family demand confronted with capacity, inventory and the budget."""

from __future__ import annotations

from datetime import date

import duckdb
import polars as pl

from sop.core.config import PlanConfig, Scenario
from sop.core.months import add_months
from sop.core.warehouse import clear_month, draft, query, read_partition, replace_partition, table_exists, transaction
from sop.forecast.accuracy import SUMMARY_TABLE
from sop.plan.scenarios import BASE, of_scenario, scenario_params
from sop.plan.supply import plan_supply
from sop.publish.drafts import ensure_published

PLAN_TABLE = "consolidated_plan"
CHANGES_TABLE = "plan_changes"
OUTLOOK_TABLE = "financial_outlook"
RISK_LEVELS = ("none", "low", "medium", "high")
RISK_FLAGS = ("capacity_overload", "stockout_risk", "below_safety_stock", "revenue_below_budget")
"""The flags sql/consolidated_plan.sql can raise; each needs a severity in the configuration."""


def previous_plan(con: duckdb.DuckDBPyConnection, plan_month: date) -> pl.DataFrame:
    """Last month's plan units per family and month; empty when there is no earlier plan."""
    empty = pl.DataFrame(schema={"product_family": pl.Utf8, "month": pl.Date, "prev_plan_units": pl.Float64})
    if not table_exists(con, PLAN_TABLE):
        return empty
    previous = of_scenario(read_partition(con, PLAN_TABLE, {"plan_month": add_months(plan_month, -1)}), BASE)
    return previous.select("product_family", "month", pl.col("forecast_units").alias("prev_plan_units"))


def family_accuracy(con: duckdb.DuckDBPyConnection, plan_month: date) -> pl.DataFrame:
    """Each family's forecast WAPE and bias over the trailing months at lags 1 and 3 (see
    `sop.forecast.accuracy`); empty before any published forecast can be judged."""
    columns = {"product_family": pl.Utf8} | {
        f"recent_{m}_lag{lag}": pl.Float64 for lag in (1, 3) for m in ("wape", "bias")
    }
    if not table_exists(con, draft(SUMMARY_TABLE)):
        return pl.DataFrame(schema=columns)
    summary = read_partition(con, draft(SUMMARY_TABLE), {"plan_month": plan_month}).filter(pl.col("level") == "family")
    by_lag = [
        summary.filter(pl.col("lag") == lag).select(
            "product_family",
            pl.col("wape").alias(f"recent_wape_lag{lag}"),
            pl.col("bias").alias(f"recent_bias_lag{lag}"),
        )
        for lag in (1, 3)
    ]
    joined = by_lag[0].join(by_lag[1], on="product_family", how="full", coalesce=True)
    return joined.select(list(columns)).cast(columns)


def risk_flag_severity(config: PlanConfig) -> pl.DataFrame:
    unknown = set(config.flag_severity.values()) - set(RISK_LEVELS)
    if unknown:
        raise ValueError(f"flag severities must be among {RISK_LEVELS}, not {sorted(unknown)}")
    unrated = set(RISK_FLAGS) - set(config.flag_severity)
    if unrated:
        raise ValueError(f"flag_severity has no severity for {sorted(unrated)}")
    return pl.DataFrame(
        {
            "flag": list(config.flag_severity),
            "severity": list(config.flag_severity.values()),
            "severity_rank": [RISK_LEVELS.index(level) for level in config.flag_severity.values()],
        }
    )


def sku_value(con: duckdb.DuckDBPyConnection, plan_month: date, config: PlanConfig) -> pl.DataFrame:
    """The price and cost of each sku's units (`sql/int_sku_value.sql`)."""
    price_from = add_months(plan_month, -config.price_lookback_months)
    return query(con, "int_sku_value", {"plan_month": plan_month, "price_from": price_from})


def build_plan(
    con: duckdb.DuckDBPyConnection, plan_month: date, config: PlanConfig, scenarios: tuple[Scenario, ...] = ()
) -> int:
    """Rebuilds the plan month's consolidated plan from staging and the forecast, the base plan and
    one beside it per scenario; returns its rows."""
    frames = {
        "sku_value": sku_value(con, plan_month, config),
        "previous_plan": previous_plan(con, plan_month),
        "family_accuracy": family_accuracy(con, plan_month),
        "risk_flag_severity": risk_flag_severity(config),
    }
    rows = 0
    with transaction(con):
        clear_month(con, draft(PLAN_TABLE), plan_month)
        for scenario in (None, *scenarios):
            params = {"revenue_below_budget_pct": config.revenue_below_budget_pct} | scenario_params(
                scenario, plan_month
            )
            supply = plan_supply(query(con, "int_supply_inputs", {"plan_month": plan_month, **params}), config)
            partition = {"plan_month": plan_month, "scenario": params.pop("scenario")}
            rows += replace_partition(
                con, PLAN_TABLE, partition, params, frames | {"supply_plan": supply}, into=draft(PLAN_TABLE)
            )
    return rows


def build_plan_changes(con: duckdb.DuckDBPyConnection, plan_month: date) -> int:
    """Rebuilds the plan month's comparison with last month's plan; returns its rows (none
    when there is no earlier plan)."""
    params = {"previous_plan_month": add_months(plan_month, -1)}
    with transaction(con):
        ensure_published(con, PLAN_TABLE)
        return replace_partition(con, CHANGES_TABLE, {"plan_month": plan_month}, params, into=draft(CHANGES_TABLE))


def build_outlook(con: duckdb.DuckDBPyConnection, plan_month: date, config: PlanConfig) -> int:
    """Rebuilds the plan month's year-to-date and full-year outlook against the budget, for the
    base plan and every scenario the plan holds; returns its rows."""
    frames = {"sku_value": sku_value(con, plan_month, config)}
    rows = 0
    with transaction(con):
        clear_month(con, draft(OUTLOOK_TABLE), plan_month)
        for scenario in plan_scenarios(con, plan_month):
            partition = {"plan_month": plan_month, "scenario": scenario}
            rows += replace_partition(con, OUTLOOK_TABLE, partition, frames=frames, into=draft(OUTLOOK_TABLE))
    return rows


def plan_scenarios(con: duckdb.DuckDBPyConnection, plan_month: date) -> list[str]:
    """The scenarios of the plan month's draft plan, base first."""
    sql = f"select distinct scenario from {draft(PLAN_TABLE)} where plan_month = $m order by scenario != 'base', 1"
    return [row[0] for row in con.execute(sql, {"m": plan_month}).fetchall()]
