"""Which forecasting method each sku x region series gets, from its history."""

from __future__ import annotations

from datetime import date

import polars as pl

from sop.core.config import ForecastConfig
from sop.core.months import add_months
from sop.forecast.demand_pattern import classify_demand

KEYS = ("sku", "region")
DISCONTINUED = "discontinued"
NEW = "new"
REGULAR = "regular"
INTERMITTENT = "intermittent"
INTERMITTENT_PATTERNS = ("intermittent", "lumpy")


def zero_filled(history: pl.DataFrame, plan_month: date, max_months: int | None = None) -> pl.DataFrame:
    """One row per series and month from its first sale (or the latest `max_months`) through
    M-1; absent months are zero. Columns: sku, region, product_family, month, units."""
    last_month = add_months(plan_month, -1)
    earliest = add_months(plan_month, -max_months) if max_months else date.min
    families = history.select("sku", "product_family").unique(subset="sku", keep="first")
    calendar = (
        history.group_by(KEYS)
        .agg(pl.col("month").min().alias("first"))
        .with_columns(pl.max_horizontal("first", pl.lit(earliest)).alias("first"))
        .select(*KEYS, pl.date_ranges("first", pl.lit(last_month), interval="1mo").alias("month"))
        .explode("month")
    )
    return (
        calendar.join(history.select(*KEYS, "month", "units"), on=[*KEYS, "month"], how="left")
        .join(families, on="sku")
        .with_columns(pl.col("units").fill_null(0.0).cast(pl.Float64))
        .select(*KEYS, "product_family", "month", "units")
        .sort(*KEYS, "month")
    )


def segment_series(series: pl.DataFrame, config: ForecastConfig) -> pl.DataFrame:
    """sku, region, months, demand_pattern and segment of every series of `zero_filled` output.

    Discontinuation is a property of the item: an intermittent sku is often silent for months in
    one region while it still sells in others, so a sku is discontinued only when no region has
    sold it for `discontinued_after_months` (and it is at least that old).
    """
    recent = pl.col("units").tail(config.discontinued_after_months).sum()
    measured = (
        series.group_by(KEYS)
        .agg(pl.len().alias("months"), recent.alias("recent_units"))
        .with_columns(pl.col("recent_units").sum().over("sku"))
        .join(classify_demand(series, KEYS).select(*KEYS, "demand_pattern"), on=list(KEYS))
    )
    segment = (
        pl.when((pl.col("recent_units") == 0) & (pl.col("months") >= config.discontinued_after_months))
        .then(pl.lit(DISCONTINUED))
        .when(pl.col("months") < config.min_seasonal_history)
        .then(pl.lit(NEW))
        .when(pl.col("demand_pattern").is_in(INTERMITTENT_PATTERNS))
        .then(pl.lit(INTERMITTENT))
        .otherwise(pl.lit(REGULAR))
    )
    return (
        measured.with_columns(segment.alias("segment")).select(*KEYS, "months", "demand_pattern", "segment").sort(KEYS)
    )
