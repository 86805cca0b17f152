"""The short summary a person reads at the end of a monthly run."""

from __future__ import annotations

from datetime import date

import duckdb
import polars as pl

from sop.core import tables
from sop.core.models import sql_text
from sop.core.warehouse import read_partition
from sop.plan.scenarios import BASE
from sop.report.formatting import UNASSIGNED
from sop.report.reports import read_report


def family_summary(
    con: duckdb.DuckDBPyConnection, plan_month: date, table: str = tables.CONSOLIDATED_PLAN
) -> pl.DataFrame:
    """One row per family over the whole horizon: the statistical forecast and the consensus the plan
    runs on (review_pct: what the demand review changed), shortfall, money against budget, risks (from
    the published plan, or from `table`, its draft)."""
    plan = read_partition(con, table, {"plan_month": plan_month, "scenario": BASE})
    # The kinds' plain names from their model, which reads no table: a warehouse has them before its views.
    names = dict(con.sql(sql_text(tables.RISK_KINDS)).pl().select("kind", "risk").iter_rows())
    return (
        plan.group_by("product_family")
        .agg(
            pl.col("forecast_units").sum().round(0).cast(pl.Int64).alias("statistical_units"),
            pl.col("consensus_units").sum().round(0).cast(pl.Int64).alias("consensus_units"),
            (pl.col("consensus_units").sum() / pl.col("forecast_units").sum() - 1)
            .mul(100)
            .round(1)
            .alias("review_pct"),
            pl.col("unmet_demand_units").sum().round(0).cast(pl.Int64).alias("unmet_units"),
            pl.col("plan_revenue").sum().round(0).cast(pl.Int64).alias("plan_revenue"),
            (pl.col("plan_revenue").sum() / pl.col("budget_revenue").sum() - 1)
            .mul(100)
            .round(1)
            .alias("vs_budget_pct"),
            pl.col("risk_flags")
            .explode()
            .drop_nulls()
            .unique()
            .sort()
            .replace_strict(names, return_dtype=pl.String)
            .str.join(", ")
            .alias("risks"),
            (pl.col("risk_level") == "high").sum().alias("high_risk_months"),
        )
        .sort("product_family")
    )


def accuracy_summary(con: duckdb.DuckDBPyConnection, plan_month: date) -> pl.DataFrame:
    """One row per family and the total: WAPE, bias and FVA at lags 1 and 3 over the trailing months
    (question 2, `forecast_performance`)."""
    performance = read_report(con, tables.FORECAST_PERFORMANCE, plan_month)
    if performance.is_empty():
        return performance
    percent = [(pl.col(metric) * 100).round(1).alias(f"{metric}_pct") for metric in ("wape", "bias", "fva")]
    return (
        performance.with_columns(pl.col("product_family").fill_null("(total)"))
        .select("product_family", "lag", "months", *percent)
        .sort(pl.col("product_family") == "(total)", "product_family", "lag")
    )


def decision_summary(con: duckdb.DuckDBPyConnection, plan_month: date) -> pl.DataFrame:
    """The decisions needed this month, as the pack's first page lists them (`decisions`, now): each risk
    episode once, with its owner, the month to decide by and the money at stake."""
    decisions = read_report(con, tables.DECISIONS, plan_month).filter(pl.col("decide") == "now")
    return decisions.select(
        "severity",
        "product_family",
        "risk",
        "period",
        pl.col("owner").fill_null(UNASSIGNED),
        pl.col("decide_by").dt.strftime("%Y-%m"),
        pl.col("revenue_at_stake").round(0).cast(pl.Int64),
        pl.col("margin_at_stake").round(0).cast(pl.Int64),
        "suggested_action",
    )
