"""The short summary a person reads at the end of a monthly run."""

from __future__ import annotations

from datetime import date

import duckdb
import polars as pl

from sop.core import tables
from sop.core.warehouse import read_partition
from sop.plan.consolidated import RISK_LEVELS
from sop.plan.scenarios import BASE


def family_summary(
    con: duckdb.DuckDBPyConnection, plan_month: date, table: str = tables.CONSOLIDATED_PLAN
) -> pl.DataFrame:
    """One row per family over the whole horizon: demand, shortfall, money against budget, risks
    (from the published plan, or from `table`, its draft)."""
    plan = read_partition(con, table, {"plan_month": plan_month, "scenario": BASE})
    return (
        plan.group_by("product_family")
        .agg(
            pl.col("forecast_units").sum().round(0).cast(pl.Int64).alias("demand_units"),
            pl.col("unmet_demand_units").sum().round(0).cast(pl.Int64).alias("unmet_units"),
            pl.col("plan_revenue").sum().round(0).cast(pl.Int64).alias("plan_revenue"),
            (pl.col("plan_revenue").sum() / pl.col("budget_revenue").sum() - 1)
            .mul(100)
            .round(1)
            .alias("vs_budget_pct"),
            pl.col("risk_flags").explode().drop_nulls().unique().sort().str.join(", ").alias("risks"),
            (pl.col("risk_level") == "high").sum().alias("high_risk_months"),
        )
        .sort("product_family")
    )


def accuracy_summary(con: duckdb.DuckDBPyConnection, plan_month: date) -> pl.DataFrame:
    """One row per family and the total: WAPE, bias and FVA at lags 1 and 3 over the trailing months."""
    summary = read_partition(con, tables.FORECAST_ACCURACY_SUMMARY, {"plan_month": plan_month}).filter(
        pl.col("level").is_in(["family", "total"])
    )
    if summary.is_empty():
        return summary
    percent = [(pl.col(metric) * 100).round(1).alias(f"{metric}_pct") for metric in ("wape", "bias", "fva")]
    return (
        summary.with_columns(pl.col("product_family").fill_null("(total)"))
        .select("product_family", "lag", "months", *percent)
        .sort(pl.col("product_family") == "(total)", "product_family", "lag")
    )


def risk_summary(con: duckdb.DuckDBPyConnection, plan_month: date, limit: int = 8) -> pl.DataFrame:
    """The register's risks per family and kind, most severe first, with the earliest month's
    action: what the meeting must decide, without a row per month."""
    register = read_partition(con, tables.RISK_REGISTER, {"plan_month": plan_month, "scenario": BASE})
    rank = pl.col("severity").replace_strict({level: -index for index, level in enumerate(RISK_LEVELS)})
    return (
        register.sort("month", nulls_last=True)
        .group_by("product_family", "kind", maintain_order=True)
        .agg(
            pl.col("severity").first(),
            pl.len().alias("months"),
            (pl.col("status") == "new").all().alias("new"),
            pl.col("suggested_action").first(),
        )
        .sort(rank, pl.col("new").not_(), "product_family", "kind", nulls_last=True)
        .select("severity", "product_family", "kind", "months", "new", "suggested_action")
        .head(limit)
    )
