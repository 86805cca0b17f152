"""How the forecasting methods did on the newest rolling origin, learned from the older ones only.

The newest origin (`origin_backs[0]` months before the end of the history) is held out: the
combination's weights and every interval's error quantiles are learned from the older origins,
then scored on the months after the newest one. So the figures are what the method would have
delivered, not what it fits. The segment's method is scored on every series it forecast, and each
member of its pool on the series that member forecast (`series` says how many): a member that
failed or ran off at the newest origin has no forecast there, and the method did without it. A
member's row also scores the segment's method on the member's series (`method_wape`): members
cover different series, so their WAPEs compare only with that.

Rows are at one of two levels: `series` (each sku x region on its own) and `family` (the family
totals the meeting reads, with their own intervals: `sop.forecast.family_intervals`). The regular
segment's method is scored as published, reconciled (`sop.forecast.reconciled`, whose per-family
evidence joins these rows), and so is what its members' `method_wape` compares with.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from sop.core.config import ForecastConfig
from sop.forecast.combination import METHOD_NAMES, pool_weights
from sop.forecast.family_intervals import FamilyRuns
from sop.forecast.intervals import bounds, calibrate, coverage
from sop.forecast.new_items import ProfileRuns
from sop.forecast.reconciled import RECONCILIATION_NAMES
from sop.forecast.rolling_origin import PoolForecasts

NEWEST = 0
SERIES = "series"
FAMILY = "family"
ALL_SEGMENTS = "all"
"""The segment of a family row: a family's series come from every segment."""


def held_out_weights(segment: str, pool: PoolForecasts, config: ForecastConfig) -> np.ndarray:
    """[m, s] the segment's weights (`ForecastConfig.pool_methods`) learned from the older origins,
    for the models that forecast the newest one."""
    older = range(1, len(pool.backs))
    usable = np.isfinite(pool.rolling[:, :, NEWEST, 0])
    return pool_weights(config.pool_methods[segment], pool.rolling, pool.actual, older, config.selection_steps, usable)


def pooled_backtest(
    segment: str,
    pool: PoolForecasts,
    combined: np.ndarray,
    scales: np.ndarray,
    changes: np.ndarray,
    config: ForecastConfig,
) -> pl.DataFrame:
    """One row per pool member and one for the segment's method: its forecasts from each origin
    `combined` [s, o, h], learned from the older origins (`held_out_weights`) and reconciled as
    published; scales [s, o] at each origin, and the segment's scaled month-on-month changes for
    intervals of segments too small to measure."""
    known = np.isfinite(pool.actual[:, NEWEST, 0])
    usable = np.isfinite(pool.rolling[:, :, NEWEST, 0]) & known
    scored = usable.any(axis=0)
    rows = [
        _scores(
            SERIES,
            segment,
            name,
            pool.actual[usable[m], NEWEST],
            pool.rolling[m, usable[m], NEWEST],
            method_forecast=combined[usable[m], NEWEST],
        )
        for m, name in enumerate(pool.models)
    ]
    errors = (pool.actual - combined) / scales[:, :, None]
    rows.append(
        _scores(
            SERIES,
            segment,
            METHOD_NAMES[config.pool_methods[segment]],
            pool.actual[scored, NEWEST],
            combined[scored, NEWEST],
        )
        | _coverage(
            errors[scored][:, 1:],
            changes,
            pool.actual[scored, NEWEST],
            combined[scored, NEWEST],
            scales[scored, NEWEST],
            config,
        )
    )
    return pl.DataFrame(rows)


def profile_backtest(runs: ProfileRuns, changes: np.ndarray, config: ForecastConfig) -> pl.DataFrame:
    """The new-item method, run on established series, scored like the pools."""
    errors, actual, forecast = runs.relative_errors(), runs.actual[:, NEWEST], runs.forecast[:, NEWEST]
    scored = (runs.level[:, NEWEST] > 0) & np.isfinite(actual[:, 0])
    row = _scores(SERIES, "new", "FamilyProfile", actual[scored], forecast[scored]) | _coverage(
        errors[scored][:, 1:], changes, actual[scored], forecast[scored], runs.level[scored, NEWEST], config
    )
    return pl.DataFrame([row])


def family_backtest(runs: FamilyRuns, changes: np.ndarray, config: ForecastConfig) -> pl.DataFrame:
    """The family totals, from series forecasts learned on the older origins (`held_out_weights`;
    the regular series reconciled as the forecast is), with intervals from the families' errors at
    the older origins; `changes`: the families' scaled month-on-month changes."""
    errors, actual, forecast = runs.scaled_errors(), runs.actual[:, NEWEST], runs.forecast[:, NEWEST]
    scored = np.isfinite(actual[:, 0])
    row = _scores(
        FAMILY, ALL_SEGMENTS, RECONCILIATION_NAMES[config.reconciliation], actual[scored], forecast[scored]
    ) | _coverage(errors[scored][:, 1:], changes, actual[scored], forecast[scored], runs.scale[scored, NEWEST], config)
    return pl.DataFrame([row])


def _scores(
    level: str,
    segment: str,
    method: str,
    actual: np.ndarray,
    forecast: np.ndarray,
    method_forecast: np.ndarray | None = None,
) -> dict[str, object]:
    """The row's scores; `method_forecast`: the segment's method on the same series, for a pool model's
    row (the method's own rows compare with themselves)."""
    known = np.isfinite(actual)
    total = actual[known].sum()
    error = (forecast - actual)[known]
    method_error = error if method_forecast is None else (method_forecast - actual)[known]
    return {
        "level": level,
        "segment": segment,
        "method": method,
        "series": int(actual.shape[0]),
        "observations": int(known.sum()),
        "wape": float(np.abs(error).sum() / total) if total > 0 else None,
        "bias": float(error.sum() / total) if total > 0 else None,
        "method_wape": float(np.abs(method_error).sum() / total) if total > 0 else None,
    }


def _coverage(
    older_errors: np.ndarray,
    changes: np.ndarray,
    actual: np.ndarray,
    point: np.ndarray,
    scale: np.ndarray,
    config: ForecastConfig,
) -> dict[str, float | None]:
    quantiles = calibrate(older_errors, config.levels, point.shape[1], changes)
    intervals = np.maximum(bounds(point, scale, quantiles), 0.0)
    return {
        f"coverage_{level}": coverage(actual, intervals[index, 0], intervals[index, 1])
        for index, level in enumerate(config.levels)
    }
