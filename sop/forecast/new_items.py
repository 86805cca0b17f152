"""Forecasts for items with too short a history to fit a seasonal model: the family's season.

A launch has a few months of sales, too few to tell its season from its ramp-up. Its family has
years of them. So the family's seasonal profile (classical decomposition: each month's sales over
the centred 12-month moving average, averaged per calendar month, normalized to a mean of 1) is
borrowed: the item's level is the mean of its latest `LEVEL_MONTHS` months with the family season
divided out, and its forecast is that level times the family season of each month ahead.

The same method, run on established series from the rolling origins with only the months before
each origin, measures how wrong such a forecast tends to be; that calibrates the new items'
intervals (relative to their level). Launches ramp up and may miss more than that: the intervals
are as honest as the backtest can make them, not more.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import polars as pl

from sop.core.config import ForecastConfig
from sop.core.months import add_months
from sop.forecast.series_arrays import SeriesArrays

LEVEL_MONTHS = 3
"""Latest months whose deseasonalized mean is the level: recent enough to follow a ramp-up."""
INDEX_FLOOR = 0.1
"""Months in which the family hardly sells say little about an item's level: their seasonal
index is floored at this value before dividing it out (never when multiplying it back in)."""


def family_profiles(series: pl.DataFrame, season_length: int) -> pl.DataFrame:
    """product_family, calendar_month (1-12) and seasonal_index (mean 1) for every family with
    two full seasons of sales; other families are absent (their items get no season)."""
    # Each float sum runs over sorted values: threads may otherwise split a group differently
    # from run to run, and the same input would give last-digit differences in the output.
    totals = (
        series.group_by("product_family", "month").agg(pl.col("units").sort().sum()).sort("product_family", "month")
    )
    trailing = pl.col("units").rolling_mean(season_length)
    half = season_length // 2
    centred = ((trailing.shift(-half + 1) + trailing.shift(-half)) / 2).over("product_family")
    ratios = (
        totals.with_columns(centred.alias("centred"), pl.col("month").dt.month().alias("calendar_month"))
        .filter(pl.col("centred") > 0)
        .group_by("product_family", "calendar_month")
        .agg((pl.col("units") / pl.col("centred")).sort().mean().alias("ratio"))
    )
    complete = ratios.group_by("product_family").len().filter(pl.col("len") == season_length).select("product_family")
    return (
        ratios.join(complete, on="product_family")
        .with_columns((pl.col("ratio") / pl.col("ratio").sort().mean().over("product_family")).alias("seasonal_index"))
        .select("product_family", "calendar_month", "seasonal_index")
        .sort("product_family", "calendar_month")
    )


def index_table(families: list[str], profiles: pl.DataFrame, season_length: int) -> np.ndarray:
    """[series, calendar month 0-11] the seasonal index of each series' family (1 without a profile)."""
    by_family = {
        family: frame.sort("calendar_month")["seasonal_index"].to_numpy()
        for (family,), frame in profiles.partition_by("product_family", as_dict=True).items()
    }
    flat = np.ones(season_length)
    return np.array([by_family.get(family, flat) for family in families]).reshape(len(families), season_length)


def profile_level(recent_units: np.ndarray, recent_index: np.ndarray) -> np.ndarray:
    """The deseasonalized mean of each row's known (non-NaN) months: [series, months] -> [series]."""
    deseasonalized = recent_units / np.maximum(recent_index, INDEX_FLOOR)
    known = np.isfinite(deseasonalized)
    counts = known.sum(axis=1)
    return np.where(counts > 0, np.where(known, deseasonalized, 0.0).sum(axis=1) / np.maximum(counts, 1), 0.0)


def calendar_positions(plan_month: date, offset: int, count: int, season_length: int) -> np.ndarray:
    """Positions in the season (0 = January) of `count` months from plan month + `offset`."""
    return (plan_month.month - 1 + offset + np.arange(count)) % season_length


def profile_forecast(
    arrays: SeriesArrays, index: np.ndarray, plan_month: date, back: int, horizon: int
) -> tuple[np.ndarray, np.ndarray]:
    """[s, h] forecasts from `back` months before the end, using only the months before it,
    and [s] the levels they scale (zero for a series without sales in those months)."""
    season_length = index.shape[1]
    recent = arrays.window(back, LEVEL_MONTHS)
    recent_index = index[:, calendar_positions(plan_month, -back - LEVEL_MONTHS, LEVEL_MONTHS, season_length)]
    level = profile_level(recent, recent_index)
    ahead = index[:, calendar_positions(plan_month, -back, horizon, season_length)]
    return level[:, None] * ahead, level


@dataclass(frozen=True)
class ProfileRuns:
    """The method run on established series from rolling origins."""

    forecast: np.ndarray
    """[s, o, h]"""
    level: np.ndarray
    """[s, o] the level each forecast scales; zero where the months before the origin sold nothing."""
    actual: np.ndarray
    """[s, o, h] what happened; NaN after the end of the history."""

    def relative_errors(self) -> np.ndarray:
        """[s, o, h] (actual - forecast) / level; NaN where the level is zero."""
        level = self.level[:, :, None]
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(level > 0, (self.actual - self.forecast) / level, np.nan)


def profile_runs(
    arrays: SeriesArrays, series: pl.DataFrame, plan_month: date, backs: tuple[int, ...], config: ForecastConfig
) -> ProfileRuns:
    """The method from each origin on `arrays`, with family profiles from the months before it
    (`series`: the zero-filled history of all series)."""
    runs = []
    for back in backs:
        before = series.filter(pl.col("month") < add_months(plan_month, -back))
        index = index_table(arrays.families, family_profiles(before, config.season_length), config.season_length)
        runs.append(profile_forecast(arrays, index, plan_month, back, config.horizon_months))
    return ProfileRuns(
        forecast=np.stack([run[0] for run in runs], axis=1),
        level=np.stack([run[1] for run in runs], axis=1),
        actual=np.stack([arrays.after(back, config.horizon_months) for back in backs], axis=1),
    )
