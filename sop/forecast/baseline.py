"""The statistical baseline forecast per sku x region, with calibrated intervals and its backtest.

Each series belongs to one segment, by its history (see `segment_series`):
- discontinued: the sku sold in no region in the last `discontinued_after_months`: zero;
- new: fewer than `min_seasonal_history` months since its first sale: its family's season times
  its recent level (`sop.forecast.new_items`);
- regular (smooth or erratic): a combination of the segment's model pool (`sop.forecast.model_pool`),
  weighted per series by each model's errors from rolling origins (`sop.forecast.rolling_origin`,
  `sop.forecast.combination`);
- intermittent (intermittent or lumpy demand, after Syntetos and Boylan): the model of its pool with
  the lowest errors from the rolling origins over the whole segment (`ForecastConfig.pool_methods`).
Intervals come from the errors made at the rolling origins, pooled per segment and step
(`sop.forecast.intervals`). Each family's forecast is the sum of its series' forecasts, with an
interval of its own, calibrated on the errors of the family totals at the same origins
(`sop.forecast.family_intervals`). Fits read at most the latest `max_history_months`.

Besides the forecast, the backtest measures the method where it can be checked: every model, each
segment's use of its pool and the new-item method are scored on the latest origin's months, with
weights (or the model chosen) and intervals learned from the older origins only, and so are the
family totals. Its coverage is what the intervals deliver.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import duckdb
import numpy as np
import polars as pl

from sop.core import tables
from sop.core.config import DEFAULT_CONFIG, ChecksConfig, ForecastConfig
from sop.core.months import add_months
from sop.core.tables import draft
from sop.core.warehouse import query, replace_partition, transaction
from sop.forecast.backtest import family_backtest, held_out_weights, pooled_backtest, profile_backtest
from sop.forecast.combination import METHOD_NAMES, combine, pool_weights
from sop.forecast.family_intervals import Families, family_forecast, pool_origins
from sop.forecast.intervals import bounds, calibrate
from sop.forecast.model_pool import check_names
from sop.forecast.new_items import ProfileRuns, family_profiles, index_table, profile_forecast, profile_runs
from sop.forecast.reconciled import reconciled
from sop.forecast.rolling_origin import PoolForecasts, PoolSpec, forecast_pool
from sop.forecast.segments import DISCONTINUED, KEYS, NEW, REGULAR, segment_series, zero_filled
from sop.forecast.series_arrays import SeriesArrays
from sop.intake.history import check_parameters

FAMILY_PROFILE = "FamilyProfile"
ZERO = "Discontinued"
LAST_VALUE = "LastValue"
"""A series on which every model of its pool failed carries its last month forward."""
MIN_WEIGHT_SHOWN = 0.005


@dataclass(frozen=True)
class BaselineForecast:
    forecast: pl.DataFrame
    """sku, region, month, forecast_units, forecast_lo_<level>, forecast_hi_<level>, model,
    model_weights, demand_pattern, segment: one row per series and month of the horizon."""
    families: pl.DataFrame
    """product_family, month, forecast_units (the sum of its series'), forecast_lo_<level>,
    forecast_hi_<level>: one row per family and month of the horizon."""
    backtest: pl.DataFrame
    """level, segment, method, series, wape, bias, coverage_<level>: the latest origin's months."""


@dataclass(frozen=True)
class _SegmentForecast:
    keys: pl.DataFrame
    point: np.ndarray
    """[s, h]"""
    bounds: np.ndarray
    """[level, side, s, h]"""
    model: list[str]
    weights: list[str]


def forecast_baseline(
    history: pl.DataFrame,
    plan_month: date,
    config: ForecastConfig = DEFAULT_CONFIG.forecast,
    progress: Callable[[str, int, int], None] | None = None,
) -> BaselineForecast:
    """Forecasts every sku x region of `history` (sku, region, product_family, month, units);
    `progress` is told (segment, series done, series in the segment) as the fits go."""
    for models in config.pools.values():
        check_names(models)
    series = zero_filled(history, plan_month, config.max_history_months)
    segments = segment_series(series, config)
    arrays = {
        segment: SeriesArrays.of(series, segments.filter(pl.col("segment") == segment))
        for segment in dict.fromkeys((REGULAR, *config.pools, NEW))
    }
    parts, backtests, origins, held_out = [], [], [], []
    for segment, models in config.pools.items():
        told = None if progress is None else functools.partial(progress, segment)
        spec = PoolSpec.of(models, config)
        pool = forecast_pool(arrays[segment].values, spec, config.n_jobs, told, config.dask_scheduler)
        scales = np.stack([arrays[segment].scale(config.season_length, back) for back in pool.backs], axis=1)
        changes = arrays[segment].scaled_changes(config.season_length)
        usable = np.isfinite(pool.final).all(axis=2)
        method = config.pool_methods[segment]
        weights = pool_weights(
            method, pool.rolling, pool.actual, range(len(pool.backs)), config.selection_steps, usable
        )
        held = held_out_weights(segment, pool, config)
        point = _combined(arrays[segment], pool, weights)
        if segment == REGULAR and config.reconciliation != "bottom_up":
            result = reconciled(segment, arrays[segment], pool, weights, held, point, spec, config)
            point, rolling, held_rolling = result.point, result.rolling, result.held_out
            backtests.append(result.evidence.with_columns(segment=pl.lit(segment)))
        else:
            rolling, held_rolling = combine(pool.rolling, weights), combine(pool.rolling, held)
        parts.append(
            _pooled(METHOD_NAMES[method], arrays[segment], pool, weights, point, rolling, scales, changes, config)
        )
        backtests.append(pooled_backtest(segment, pool, held_rolling, scales, changes, config))
        origins.append(pool_origins(arrays[segment].keys, pool, weights, rolling))
        held_out.append(pool_origins(arrays[segment].keys, pool, held, held_rolling))
    # New items are calibrated on how their method did on the regular series.
    runs = profile_runs(arrays[REGULAR], series, plan_month, config.origin_backs, config)
    regular_changes = arrays[REGULAR].scaled_changes(config.season_length)
    backtests.append(profile_backtest(runs, regular_changes, config))
    profiles = family_profiles(series, config.season_length)
    parts.append(_new_items(arrays[NEW], runs, regular_changes, profiles, plan_month, config))
    parts.append(_discontinued(segments.filter(pl.col("segment") == DISCONTINUED).select(KEYS), config))
    forecast = _assemble(parts, plan_month, config).join(
        segments.select(*KEYS, "demand_pattern", "segment"), on=list(KEYS)
    )
    families = Families.of(series, plan_month, config)
    backtests.append(
        family_backtest(families.runs(held_out), families.totals.scaled_changes(config.season_length), config)
    )
    by_family = family_forecast(forecast, families, families.runs(origins), plan_month, config)
    return BaselineForecast(
        forecast.sort(*KEYS, "month"),
        _clipped(by_family, config).sort("product_family", "month"),
        pl.concat(backtests, how="diagonal_relaxed"),
    )


def _combined(arrays: SeriesArrays, pool: PoolForecasts, weights: np.ndarray) -> np.ndarray:
    """[s, h] the pool's forecasts weighted; a series on which every model failed carries its last month."""
    point = combine(pool.final, weights)
    failed = weights.sum(axis=0) == 0
    point[failed] = arrays.last_values()[failed, None]
    return point


def _pooled(
    method_name: str,
    arrays: SeriesArrays,
    pool: PoolForecasts,
    weights: np.ndarray,
    point: np.ndarray,
    rolling: np.ndarray,
    scales: np.ndarray,
    changes: np.ndarray,
    config: ForecastConfig,
) -> _SegmentForecast:
    """The segment's forecast `point` [s, h], its intervals learned from the same method's forecasts
    from the origins, `rolling` [s, o, h]."""
    failed = weights.sum(axis=0) == 0
    errors = (pool.actual - rolling) / scales[:, :, None]
    quantiles = calibrate(errors, config.levels, config.horizon_months, changes)
    return _SegmentForecast(
        keys=arrays.keys,
        point=point,
        bounds=bounds(point, arrays.scale(config.season_length), quantiles),
        model=[LAST_VALUE if gone else method_name for gone in failed],
        weights=[_weights_text(pool.models, weights[:, index]) for index in range(weights.shape[1])],
    )


def _new_items(
    new: SeriesArrays,
    runs: ProfileRuns,
    changes: np.ndarray,
    profiles: pl.DataFrame,
    plan_month: date,
    config: ForecastConfig,
) -> _SegmentForecast:
    """The family-profile forecast, with intervals from the method's errors on established series."""
    index = index_table(new.families, profiles, config.season_length)
    point, level = profile_forecast(new, index, plan_month, 0, config.horizon_months)
    quantiles = calibrate(runs.relative_errors(), config.levels, config.horizon_months, changes)
    scale = np.where(level > 0, level, new.scale(config.season_length))
    return _SegmentForecast(
        keys=new.keys,
        point=point,
        bounds=bounds(point, scale, quantiles),
        model=[FAMILY_PROFILE] * new.count,
        weights=[""] * new.count,
    )


def _discontinued(keys: pl.DataFrame, config: ForecastConfig) -> _SegmentForecast:
    count, horizon = keys.height, config.horizon_months
    return _SegmentForecast(
        keys=keys,
        point=np.zeros((count, horizon)),
        bounds=np.zeros((len(config.levels), 2, count, horizon)),
        model=[ZERO] * count,
        weights=[""] * count,
    )


def _weights_text(models: tuple[str, ...], weights: np.ndarray) -> str:
    ranked = sorted(zip(weights, models, strict=True), key=lambda pair: (-pair[0], pair[1]))
    return ", ".join(f"{model} {weight:.2f}" for weight, model in ranked if weight >= MIN_WEIGHT_SHOWN)


def _assemble(parts: list[_SegmentForecast], plan_month: date, config: ForecastConfig) -> pl.DataFrame:
    """The forecast contract's rows: one per series and month of the horizon, bounds clipped at zero."""
    horizon = config.horizon_months
    months = pl.Series("month", [add_months(plan_month, step) for step in range(horizon)], dtype=pl.Date)
    frames = []
    for part in parts:
        columns = {"forecast_units": part.point.ravel()}
        for level_index, level in enumerate(config.levels):
            columns[f"forecast_lo_{level}"] = part.bounds[level_index, 0].ravel()
            columns[f"forecast_hi_{level}"] = part.bounds[level_index, 1].ravel()
        per_series = part.keys.with_columns(
            pl.Series("model", part.model, dtype=pl.String), pl.Series("model_weights", part.weights, dtype=pl.String)
        )
        repeated = per_series.select(pl.all().repeat_by(horizon).explode())
        month_column = pl.DataFrame(
            {"month": pl.concat([months] * part.keys.height) if part.keys.height else months[:0]}
        )
        frames.append(pl.concat([repeated, month_column, pl.DataFrame(columns)], how="horizontal"))
    return _clipped(pl.concat(frames), config).select(
        *KEYS, "month", "forecast_units", *_bound_columns(config), "model", "model_weights"
    )


def _bound_columns(config: ForecastConfig) -> list[str]:
    return [f"forecast_{side}_{level}" for level in config.levels for side in ("lo", "hi")]


def _clipped(forecast: pl.DataFrame, config: ForecastConfig) -> pl.DataFrame:
    """Forecast and bounds never below zero, bounds nested around the forecast."""
    clipped = forecast.with_columns(pl.col("forecast_units", *_bound_columns(config)).clip(lower_bound=0.0))
    return clipped.with_columns(_nested_bounds(config))


def _nested_bounds(config: ForecastConfig) -> list[pl.Expr]:
    """Wider levels contain narrower ones and every interval contains the point, whatever
    clipping at zero did to the bounds."""
    nested = []
    inner_low, inner_high = pl.col("forecast_units"), pl.col("forecast_units")
    for level in sorted(config.levels):
        low = pl.min_horizontal(pl.col(f"forecast_lo_{level}"), inner_low)
        high = pl.max_horizontal(pl.col(f"forecast_hi_{level}"), inner_high)
        nested += [low.alias(f"forecast_lo_{level}"), high.alias(f"forecast_hi_{level}")]
        inner_low, inner_high = low, high
    return nested


def forecast_month(
    con: duckdb.DuckDBPyConnection,
    plan_month: date,
    config: ForecastConfig,
    progress: Callable[[str, int, int], None] | None = None,
    checks: ChecksConfig = DEFAULT_CONFIG.checks,
) -> BaselineForecast:
    """Forecasts the plan month from its staged sales (series of a late feed held out of the last month where
    `checks` say so); replaces its rows of `sku_forecast`, `family_forecast` and `forecast_backtest` in one
    transaction."""
    history = query(con, tables.SALES_HISTORY, check_parameters(plan_month, checks))
    result = forecast_baseline(history, plan_month, config, progress)
    month = {"plan_month": plan_month}
    with transaction(con):
        forecast = {"baseline_forecast": result.forecast}
        replace_partition(con, tables.SKU_FORECAST, month, frames=forecast, into=draft(tables.SKU_FORECAST))
        families = {"family_baseline": result.families}
        replace_partition(con, tables.FAMILY_FORECAST, month, frames=families, into=draft(tables.FAMILY_FORECAST))
        backtest = {"backtest_results": result.backtest}
        replace_partition(con, tables.FORECAST_BACKTEST, month, frames=backtest, into=draft(tables.FORECAST_BACKTEST))
    return result
