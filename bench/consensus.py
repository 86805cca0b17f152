"""The cost of the demand review's consensus stage at the M size: about 5,000 sku x region series over
the 18-month horizon and a few hundred adjustments over every scope, kind and source.

    uv run python bench/consensus.py                      # 1,250 skus x 4 regions, 300 adjustments
    uv run python bench/consensus.py --skus 12500 --adjustments 3000

Prints the median of several runs of the whole stage as the asset runs it (`build_demand_plan`: read
the statistical forecast and the staged adjustments from DuckDB, land the changes, write the drafts
of `demand_plan` and `demand_adjustments`), and of the landing alone (`reconcile`), with series and
adjustments per second.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import date

import duckdb
import numpy as np
import polars as pl

from sop.core.config import DEFAULT_CONFIG
from sop.core.months import month_range
from sop.core.warehouse import ensure_tables
from sop.demand.consensus import build_demand_plan, reconcile
from sop.intake.contract import ADJUSTMENT_KINDS, SOURCES

PLAN_MONTH = date(2026, 11, 1)
FAMILIES = 5
REGIONS = ("North", "South", "East", "West")
RUNS = 5
SEED = 7


def statistical_forecast(skus: int, rng: np.random.Generator) -> pl.DataFrame:
    """sku, region, product_family, month, units: one row per series and month of the horizon."""
    months = month_range(PLAN_MONTH, DEFAULT_CONFIG.forecast.horizon_months)
    grid = pl.DataFrame({"sku": [f"SKU-{index:05d}" for index in range(skus)]}).join(
        pl.DataFrame({"region": REGIONS}), how="cross"
    )
    grid = grid.join(pl.DataFrame({"month": months}), how="cross")
    return grid.with_columns(
        pl.format("Family {}", pl.col("sku").str.slice(4).cast(pl.Int64) % FAMILIES).alias("product_family"),
        pl.Series("units", rng.gamma(2.0, 30.0, grid.height)),
    )


def adjustments(statistical: pl.DataFrame, count: int, rng: np.random.Generator) -> pl.DataFrame:
    """`count` changes with distinct keys, spread over the four scopes, the kinds and the sources."""
    keys = statistical.select("product_family", "sku", "region", "month")
    picked = keys.sample(count * 2, seed=SEED)
    scope = rng.integers(0, 4, picked.height)
    picked = picked.with_columns(
        pl.when(pl.Series(scope) % 2 == 0).then(None).otherwise(pl.col("sku")).alias("sku"),
        pl.when(pl.Series(scope) < 2).then(None).otherwise(pl.col("region")).alias("region"),
        pl.Series("source", rng.choice(SOURCES, picked.height)),
    )
    picked = picked.unique(["month", "product_family", "sku", "region", "source"], keep="first", maintain_order=True)
    picked = picked.head(count)
    kind = rng.choice(ADJUSTMENT_KINDS, picked.height)
    value = np.where(kind == "scale_pct", rng.uniform(-30, 40, picked.height), rng.uniform(-50, 200, picked.height))
    return picked.with_columns(
        pl.Series("kind", kind),
        pl.Series("value", np.where(kind == "set_units", np.abs(value), value)),
        pl.lit("Owner").alias("owner"),
        pl.lit("Bench").alias("reason"),
        pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias("_source_row"),
    )


def _warehouse(statistical: pl.DataFrame, changes: pl.DataFrame) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    ensure_tables(con)
    forecast = statistical.with_columns(
        pl.lit(PLAN_MONTH).alias("plan_month"),
        pl.col("units").alias("forecast_units"),
        (pl.col("units") * 0.7).alias("forecast_lo_80"),
        (pl.col("units") * 1.3).alias("forecast_hi_80"),
        (pl.col("units") * 0.5).alias("forecast_lo_95"),
        (pl.col("units") * 1.5).alias("forecast_hi_95"),
        pl.lit("bench").alias("model"),
    ).drop("units")
    con.register("frame", forecast.to_arrow())
    con.execute("insert into draft.sku_forecast by name select * from frame")
    con.register("frame", changes.with_columns(pl.lit(PLAN_MONTH).alias("plan_month")).to_arrow())
    con.execute("create table stg_adjustments as select * from frame")
    con.unregister("frame")
    return con


def _median_seconds(step: Callable[[], object]) -> float:
    timings = []
    for _ in range(RUNS):
        began = time.perf_counter()
        step()
        timings.append(time.perf_counter() - began)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skus", type=int, default=1_250)
    parser.add_argument("--adjustments", type=int, default=300)
    args = parser.parse_args()
    rng = np.random.default_rng(SEED)
    statistical = statistical_forecast(args.skus, rng)
    changes = adjustments(statistical, args.adjustments, rng)
    series = statistical.select("sku", "region").n_unique()
    con = _warehouse(statistical, changes)

    landing = _median_seconds(lambda: reconcile(statistical, changes))
    stage = _median_seconds(lambda: build_demand_plan(con, PLAN_MONTH))
    consensus = reconcile(statistical, changes)
    by_scope = changes.with_columns(
        pl.when(pl.col("sku").is_null()).then(pl.lit("family")).otherwise(pl.lit("sku")).alias("level")
    )
    print(
        f"Consensus stage on {series:,} series x {statistical['month'].n_unique()} months"
        f" ({statistical.height:,} rows), {changes.height} adjustments"
        f" ({by_scope.filter(pl.col('level') == 'family').height} family-wide, the rest on skus),"
        f" median of {RUNS} runs:"
    )
    print(f"  build_demand_plan (read, land, write the drafts): {stage:6.3f} s  {series / stage:,.0f} series/s")
    print(
        f"  reconcile (the landing alone):                    {landing:6.3f} s"
        f"  {changes.height / landing:,.0f} adjustments/s"
    )
    unlanded = (consensus.changes["series"] == 0).sum()
    print(f"  changes that land on no series: {unlanded}; warnings: {len(consensus.warnings)}")


if __name__ == "__main__":
    main()
