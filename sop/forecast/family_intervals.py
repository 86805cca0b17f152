"""Family intervals calibrated on the errors of the family totals themselves.

The meeting reads a family's forecast: the sum of its sku x region forecasts. Summing their intervals
as if their errors were independent (variances add) is far too narrow wherever the series move
together, and they do: an early season, a price change or a lost customer hits every sku of a family
at once. So a family's interval is calibrated as a series' is (`sop.forecast.intervals`), on the
errors the family total made at the rolling origins: there the family's forecast is the sum of what
its series' methods forecast from that origin (so it is what the plan would have read), and its
actual the sum of what they all sold after it.

A series enters the family's forecast at an origin with its pool's combination where the origin
leaves it the history the pools need. Elsewhere (a new item, an item discontinued since, a series
still short at that origin, one on which every model failed) it enters with the new-item method from
that origin (`sop.forecast.new_items`): its family's season times its level in the months before the
origin, zero if it sold nothing then (not launched yet, or silent, as the discontinued rule would
have it). So a launch after the origin is an error of its family's forecast, as it is for the meeting.

Errors are divided by the family's scale (its mean monthly units in the season before the origin)
and pooled over the families per step. A company has few families: `calibrate` then pools the
steps on a one-step footing, or takes the random walk of the families' own month-on-month changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import polars as pl

from sop.core.config import ForecastConfig
from sop.core.months import add_months
from sop.forecast.intervals import bounds, calibrate
from sop.forecast.new_items import profile_runs
from sop.forecast.rolling_origin import PoolForecasts
from sop.forecast.segments import KEYS
from sop.forecast.series_arrays import SeriesArrays

FAMILY_COLUMN = "product_family"


@dataclass(frozen=True)
class OriginForecasts:
    """What a method forecast for some series from each rolling origin."""

    keys: pl.DataFrame
    """sku, region of each series."""
    forecast: np.ndarray
    """[s, o, h]; NaN where the method made no forecast from that origin."""


def pool_origins(keys: pl.DataFrame, pool: PoolForecasts, weights: np.ndarray, rolling: np.ndarray) -> OriginForecasts:
    """The forecasts a pool's series published from each origin, `rolling` [s, o, h] (its combination
    with `weights` [m, s], reconciled or not), never below zero as published; none where the origin
    left the series too little history (it has no actual there) or where no model has weight."""
    known = np.isfinite(pool.actual[:, :, :1]) & (weights.sum(axis=0) > 0)[:, None, None]
    return OriginForecasts(keys, np.where(known, np.maximum(rolling, 0.0), np.nan))


@dataclass(frozen=True)
class FamilyRuns:
    """The family totals from each rolling origin. Axes: f = family, o = origin, h = step."""

    forecast: np.ndarray
    """[f, o, h] the sum of the family's series forecasts."""
    actual: np.ndarray
    """[f, o, h] the sum of the family's sales; NaN after the end of the history."""
    scale: np.ndarray
    """[f, o] the family's mean monthly units in the season before the origin."""

    def scaled_errors(self) -> np.ndarray:
        """[f, o, h] (actual - forecast) / scale."""
        return (self.actual - self.forecast) / self.scale[:, :, None]


@dataclass(frozen=True)
class Families:
    """The families of a forecast: their totals, and what their series forecast without a pool."""

    totals: SeriesArrays
    """One array per family (keys: product_family, sorted): its monthly units, ending at M-1."""
    members: SeriesArrays
    """Every sku x region series."""
    member_family: np.ndarray
    """[s] the index in `totals` of each member's family."""
    fallback: np.ndarray
    """[s, o, h] the new-item method from each origin, for members that a pool did not forecast there."""
    backs: tuple[int, ...]
    season_length: int

    @classmethod
    def of(cls, series: pl.DataFrame, plan_month: date, config: ForecastConfig) -> Families:
        """From the zero-filled history of every series (`segments.zero_filled`)."""
        totals = family_totals(series)
        members = SeriesArrays.of(series, series.select(KEYS).unique())
        position = {family: index for index, family in enumerate(totals.families)}
        return cls(
            totals=totals,
            members=members,
            member_family=np.array([position[family] for family in members.families], dtype=int),
            fallback=profile_runs(members, series, plan_month, config.origin_backs, config).forecast,
            backs=config.origin_backs,
            season_length=config.season_length,
        )

    def runs(self, origins: list[OriginForecasts]) -> FamilyRuns:
        """The family totals from each origin, the series forecast by `origins` where they have one."""
        forecast = self.fallback.copy()
        rows = self.members.keys.with_row_index("row")
        for part in origins:
            placed = part.keys.with_row_index("part").join(rows, on=list(KEYS))
            at, source = placed["row"].to_numpy(), placed["part"].to_numpy()
            forecast[at] = np.where(np.isfinite(part.forecast[source]), part.forecast[source], forecast[at])
        return family_runs(forecast, self.member_family, self.totals, self.backs, self.season_length)

    def bounds(self, point: np.ndarray, runs: FamilyRuns, levels: tuple[int, ...]) -> np.ndarray:
        """[level, side, f, h] intervals around the families' point forecasts [f, h] (clipped later)."""
        changes = self.totals.scaled_changes(self.season_length)
        quantiles = calibrate(runs.scaled_errors(), levels, point.shape[1], changes)
        return bounds(point, self.totals.scale(self.season_length), quantiles)


def family_totals(series: pl.DataFrame) -> SeriesArrays:
    """Each family's monthly units, from its first sale through M-1, families in name order.
    Every series runs to M-1, so the months from a family's first sale on have no gap."""
    # Sums over sorted values: the same input gives the same last digits, whatever threads do.
    by_month = series.group_by(FAMILY_COLUMN, "month").agg(pl.col("units").sort().sum()).sort(FAMILY_COLUMN, "month")
    grouped = by_month.group_by(FAMILY_COLUMN, maintain_order=True).agg("units")
    return SeriesArrays(
        keys=grouped.select(FAMILY_COLUMN),
        families=grouped[FAMILY_COLUMN].to_list(),
        values=[np.array(units, dtype=float) for units in grouped["units"].to_list()],
    )


def family_runs(
    series_forecast: np.ndarray,
    member_family: np.ndarray,
    totals: SeriesArrays,
    backs: tuple[int, ...],
    season_length: int,
) -> FamilyRuns:
    """Sums the series' forecasts [s, o, h] (NaN: none, counted as zero) into their families."""
    families, horizon = totals.count, series_forecast.shape[2]
    forecast = np.zeros((families, len(backs), horizon))
    np.add.at(forecast, member_family, np.nan_to_num(series_forecast))
    return FamilyRuns(
        forecast=forecast,
        actual=np.stack([totals.after(back, horizon) for back in backs], axis=1),
        scale=np.stack([totals.scale(season_length, back) for back in backs], axis=1),
    )


def family_forecast(
    series_forecast: pl.DataFrame, families: Families, runs: FamilyRuns, plan_month: date, config: ForecastConfig
) -> pl.DataFrame:
    """product_family, month, forecast_units (the sum of the family's published series forecasts)
    and forecast_lo_<level>, forecast_hi_<level> from the family's own errors, before clipping.

    `series_forecast` has sku, region, month and forecast_units for every series and month."""
    horizon = config.horizon_months
    months = [add_months(plan_month, step) for step in range(horizon)]
    member_families = families.members.keys.with_columns(pl.Series(FAMILY_COLUMN, families.members.families))
    sums = (
        series_forecast.join(member_families, on=list(KEYS))
        .group_by(FAMILY_COLUMN, "month")
        .agg(pl.col("forecast_units").sort().sum())
    )
    grid = pl.DataFrame({FAMILY_COLUMN: families.totals.families}).join(
        pl.DataFrame({"month": months}, schema={"month": pl.Date}), how="cross"
    )
    point_frame = grid.join(sums, on=[FAMILY_COLUMN, "month"], how="left", maintain_order="left").with_columns(
        pl.col("forecast_units").fill_null(0.0)
    )
    point = point_frame["forecast_units"].to_numpy().reshape(families.totals.count, horizon)
    intervals = families.bounds(point, runs, config.levels)
    columns = {}
    for index, level in enumerate(config.levels):
        columns[f"forecast_lo_{level}"] = intervals[index, 0].ravel()
        columns[f"forecast_hi_{level}"] = intervals[index, 1].ravel()
    return pl.concat([point_frame, pl.DataFrame(columns)], how="horizontal")
