"""The short summary a person reads at the end of a monthly run."""

from __future__ import annotations

from datetime import date

import duckdb
import polars as pl

from sop.plan import PLAN_TABLE
from sop.warehouse import read_partition


def family_summary(con: duckdb.DuckDBPyConnection, plan_month: date) -> pl.DataFrame:
    """One row per family over the whole horizon: demand, shortfall, money against budget, risks."""
    plan = read_partition(con, PLAN_TABLE, {"plan_month": plan_month})
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
