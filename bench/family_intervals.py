"""How often a family's actuals fall inside its 80% and 95% intervals: the family's own (calibrated
on the family totals' errors, as `family_forecast` publishes them) against the sum of sku variances
taken as independent (what the plan published before).

    uv run python bench/family_intervals.py                  # the sample company, 6 years of history
    uv run python bench/family_intervals.py --skus 120 --cuts 6 12

The sample company's sales are cut at several plan months; each cut is forecast as the pipeline
would have forecast it then (`forecast_baseline` on the months before it), and its families' intervals
are judged on the actual months after it (up to the horizon). Then, for the latest plan month, the
family row of the backtest (`forecast_backtest`, level family: the newest origin, learned from the
older ones).
"""

from __future__ import annotations

import argparse
import tempfile
from datetime import date

import polars as pl

from sop.core.config import ForecastConfig
from sop.core.months import add_months
from sop.forecast.baseline import forecast_baseline
from sop.sample_data import SampleSpec, write_sample_extracts

PLAN_MONTH = date(2026, 11, 1)
Z = {80: 1.2815515655446004, 95: 1.959963984540054}
"""The normal quantiles the independence formula turns half-widths into standard deviations with."""


def sample_sales(skus: int, years: int) -> pl.DataFrame:
    """sku, region, product_family, month, units of the sample company up to PLAN_MONTH - 1."""
    folder = write_sample_extracts(tempfile.mkdtemp(), PLAN_MONTH, SampleSpec(n_skus=skus, history_years=years))
    sales = pl.read_csv(folder / "sales.csv", schema_overrides={"units": pl.Float64})
    return sales.select("sku", "region", "product_family", pl.col("month").str.to_date("%Y-%m"), "units")


def judged(sales: pl.DataFrame, cut: date, config: ForecastConfig) -> pl.DataFrame:
    """product_family, month, actual and, per level, whether each interval holds the actual."""
    result = forecast_baseline(sales.filter(pl.col("month") < cut), cut, config)
    families = sales.select("sku", "product_family").unique()
    independent = (
        result.forecast.join(families, on="sku")
        .group_by("product_family", "month")
        .agg(
            pl.col("forecast_units").sum().alias("point"),
            *[
                (((pl.col(f"forecast_hi_{level}") - pl.col(f"forecast_lo_{level}")) / (2 * Z[level])) ** 2)
                .sum()
                .sqrt()
                .alias(f"sd_{level}")
                for level in Z
            ],
        )
    )
    actual = sales.group_by("product_family", "month").agg(pl.col("units").sum().alias("actual"))
    joined = result.families.join(independent, on=["product_family", "month"]).join(
        actual, on=["product_family", "month"]
    )
    inside = [
        pl.col("actual").is_between(f"forecast_lo_{level}", f"forecast_hi_{level}").alias(f"family_{level}")
        for level in Z
    ] + [
        pl.col("actual")
        .is_between(
            (pl.col("point") - Z[level] * pl.col(f"sd_{level}")).clip(lower_bound=0.0),
            pl.col("point") + Z[level] * pl.col(f"sd_{level}"),
        )
        .alias(f"independent_{level}")
        for level in Z
    ]
    return joined.select("product_family", "month", "actual", *inside).with_columns(plan_month=pl.lit(cut))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skus", type=int, default=300, help="skus of the sample company (4 regions each)")
    parser.add_argument("--years", type=int, default=6, help="years of history up to the latest plan month")
    parser.add_argument("--cuts", type=int, nargs="+", default=[6, 12, 18, 24], help="plan months, months back")
    args = parser.parse_args()
    config = ForecastConfig()
    sales = sample_sales(args.skus, args.years)
    rows = pl.concat([judged(sales, add_months(PLAN_MONTH, -back), config) for back in args.cuts])
    shares = [pl.col(f"{kind}_{level}").mean().round(3) for kind in ("independent", "family") for level in Z]
    with pl.Config(tbl_rows=-1, tbl_cols=-1, tbl_hide_dataframe_shape=True):
        print(f"Family coverage on the months after each plan month ({sales['sku'].n_unique()} skus)")
        print(rows.group_by("plan_month").agg(pl.len().alias("family_months"), *shares).sort("plan_month"))
        print(rows.select(pl.len().alias("family_months"), *shares))
        backtest = forecast_baseline(sales, PLAN_MONTH, config).backtest
        print(f"\nforecast_backtest of {PLAN_MONTH:%Y-%m}, level family")
        print(backtest.filter((pl.col("level") == "family") & pl.col("product_family").is_null()))


if __name__ == "__main__":
    main()
