"""Reconciliation methods on the rolling-origin backtest, at every level of the hierarchy, and what they cost.

    uv run --group bench python bench/reconciliation.py

Two companies: the sample one (`SampleSpec()`, plan month 2026-11) and one whose series are all regular
(`SampleSpec(all_regular=True)`). On each, the regular segment's series (as `segment_series` makes it)
are forecast as `forecast_baseline` forecasts them: the config's regular pool through `forecast_pool`,
combined with weights learned from the older rolling origins only. The hierarchy above them (sku,
family, region, total) is the sum of those same series, and each of its aggregate series is forecast
the same way (same pool, same origins, its own weights). Series without all the origins are left
out, so every method is scored on the same series and the same months: those after the newest origin.

Methods (`sop.forecast.reconciliation`), all fed the forecasts from the newest origin; MinT's covariance
comes from the errors at the older origins only:
- base: each node's own forecast, not coherent (for reference: what each level's models do alone);
- bottom_up: today's pipeline, the families the sum of the sku x region forecasts;
- middle_out: each family's own forecast split over its series by their forecasts;
- mint_shrink: every node's forecast combined (needs all 260 or so aggregate forecasts);
- mint_shrink without the sku level: the same over total, families and regions only (10 or so
  aggregate forecasts, as cheap as middle-out).
WAPE and bias as in `forecast_backtest`, over the nodes of each level. Seconds and peak memory: the
reconciliation (traced NumPy allocations), and the extra aggregate forecasts (wall time, and the peak
proportional set size of this process and its workers, sampled). Last, the cost at 50,000 series
(12,500 skus x 4 regions, random forecasts and errors), and a check that `mint_shrink` gives what
hierarchicalforecast's dense `MinTrace(method="mint_shrink")` gives.
"""

from __future__ import annotations

import tempfile
import threading
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TypeVar

import numpy as np
import polars as pl
import psutil
from memory import tree_pss  # bench/, the script's folder

from sop.core.config import ForecastConfig
from sop.forecast.backtest import NEWEST
from sop.forecast.combination import combine, pool_weights
from sop.forecast.reconciled import aggregated, origin_errors
from sop.forecast.reconciliation import Hierarchy, Level, middle_out, mint_shrink, reconcile
from sop.forecast.rolling_origin import PoolForecasts, PoolSpec, forecast_pool
from sop.forecast.segments import REGULAR, segment_series, zero_filled
from sop.forecast.series_arrays import SeriesArrays
from sop.sample_data import SampleSpec, write_sample_extracts

PLAN_MONTH = date(2026, 11, 1)
CONFIG = ForecastConfig()
COMPANIES = {
    "Sample company (SampleSpec(), plan month 2026-11)": SampleSpec(),
    "All regular (SampleSpec(all_regular=True), plan month 2026-11)": SampleSpec(all_regular=True),
}
SCORED_LEVELS: tuple[Level | str, ...] = ("product_family", "total", "region", "sku", "sku x region")
WITHOUT_SKUS: tuple[Level, ...] = ("total", "product_family", "region")
SCALE_SKUS, SCALE_REGIONS, SCALE_FAMILIES, SCALE_ERRORS = 12_500, 4, 5, 30
"""The 50,000-series case: skus, regions, families, and error observations per node (two older origins:
12 + 18 months with actuals)."""
SEED = 20261130
SAMPLE_SECONDS = 0.2
T = TypeVar("T")


@dataclass(frozen=True)
class Backtest:
    """Every node's combined forecasts and actuals at the origins, nodes in the hierarchy's order."""

    hierarchy: Hierarchy
    forecasts: np.ndarray
    """[n, o, h]"""
    actual: np.ndarray
    """[n, o, h]"""
    bottom_seconds: float
    aggregate_seconds: float
    aggregate_mib: float

    def older_errors(self) -> np.ndarray:
        """[n, T] errors at the older origins, in the months every node has."""
        return origin_errors(self.actual[:, 1:], self.forecasts[:, 1:])

    def newest(self) -> np.ndarray:
        return self.forecasts[:, NEWEST]


def sample_history(spec: SampleSpec) -> pl.DataFrame:
    with tempfile.TemporaryDirectory() as root:
        folder = write_sample_extracts(Path(root), PLAN_MONTH, spec)
        sales = pl.read_csv(folder / "sales.csv")
    return sales.select(
        "sku", "region", "product_family", pl.col("month").str.to_date("%Y-%m"), pl.col("units").cast(pl.Float64)
    )


def _pool(values: list[np.ndarray]) -> PoolForecasts:
    spec = PoolSpec.of(CONFIG.pools[REGULAR], CONFIG)
    return forecast_pool(values, spec, CONFIG.n_jobs)


def _combined(pool: PoolForecasts) -> np.ndarray:
    """[s, o, h] the regular segment's method at every origin, weighted as at the newest origin: from
    the older origins only."""
    usable = np.isfinite(pool.rolling[:, :, NEWEST, 0])
    older = range(1, len(pool.backs))
    weights = pool_weights(
        CONFIG.pool_methods[REGULAR], pool.rolling, pool.actual, older, CONFIG.selection_steps, usable
    )
    return combine(pool.rolling, weights)


def regular_backtest(history: pl.DataFrame) -> Backtest:
    series = zero_filled(history, PLAN_MONTH, CONFIG.max_history_months)
    regular = segment_series(series, CONFIG).filter(pl.col("segment") == REGULAR)
    arrays = SeriesArrays.of(series, regular)
    began = time.perf_counter()
    pool = _pool(arrays.values)
    bottom_seconds = time.perf_counter() - began
    bottom = _combined(pool)
    complete = np.isfinite(pool.actual[:, :, 0]).all(axis=1) & np.isfinite(pool.rolling[:, :, :, 0]).any(axis=0).all(
        axis=1
    )
    keys = arrays.keys.with_columns(pl.Series("product_family", arrays.families)).filter(pl.Series(complete))
    hierarchy = Hierarchy.of(keys)
    values = [y for y, kept in zip(arrays.values, complete, strict=True) if kept]
    (aggregate_pool, aggregate_seconds), aggregate_mib = _peak_memory(
        lambda: _timed(lambda: _pool(aggregated(hierarchy, values)))
    )
    forecasts = np.concatenate([_combined(aggregate_pool), bottom[complete]])
    actual = hierarchy.coherent(pool.actual[complete].reshape(int(complete.sum()), -1)).reshape(forecasts.shape)
    return Backtest(hierarchy, forecasts, actual, bottom_seconds, aggregate_seconds, aggregate_mib)


def _timed(run: Callable[[], T]) -> tuple[T, float]:
    began = time.perf_counter()
    result = run()
    return result, time.perf_counter() - began


def _peak_memory(run: Callable[[], T]) -> tuple[T, float]:
    """run's result and the peak PSS (MiB) of this process and its workers while it ran (`memory.tree_pss`)."""
    me, peak, done = psutil.Process(), [0], threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], tree_pss(me))
            done.wait(SAMPLE_SECONDS)

    watcher = threading.Thread(target=sample)
    watcher.start()
    try:
        result = run()
    finally:
        done.set()
        watcher.join()
    return result, peak[0] / 2**20


def _traced(run: Callable[[], T]) -> tuple[T, float, float]:
    """run's result, seconds and peak traced allocations (MiB)."""
    tracemalloc.start()
    try:
        result, seconds = _timed(run)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return result, seconds, peak / 2**20


def _level_scores(hierarchy: Hierarchy, figures: np.ndarray, actual: np.ndarray) -> dict[str, tuple[float, float]]:
    """WAPE and bias of every level, over the known months of figures and actual [n, h]."""
    rows: dict[str, np.ndarray] = {level: hierarchy.rows(level) for level in SCORED_LEVELS if level != "sku x region"}
    rows["sku x region"] = np.arange(hierarchy.aggregates, figures.shape[0])
    scores = {}
    for level in SCORED_LEVELS:
        known = np.isfinite(actual[rows[level]])
        error, total = (figures[rows[level]] - actual[rows[level]])[known], actual[rows[level]][known].sum()
        scores[level] = (float(np.abs(error).sum() / total), float(error.sum() / total))
    return scores


def report(name: str, history: pl.DataFrame) -> None:
    backtest = regular_backtest(history)
    hierarchy, base, errors = backtest.hierarchy, backtest.newest(), backtest.older_errors()
    actual = backtest.actual[:, NEWEST]
    reduced = Hierarchy.of(hierarchy.bottom, WITHOUT_SKUS)
    reduced_rows = np.concatenate(
        [np.flatnonzero(hierarchy.nodes["level"] != "sku"), np.arange(hierarchy.aggregates, base.shape[0])]
    )
    methods: dict[str, Callable[[], np.ndarray]] = {
        "bottom_up": lambda: reconcile("bottom_up", hierarchy, base),
        "middle_out": lambda: reconcile("middle_out", hierarchy, base),
        "mint_shrink": lambda: reconcile("mint_shrink", hierarchy, base, errors),
        "mint_shrink, no sku level": lambda: mint_shrink(reduced, base[reduced_rows], errors[reduced_rows]),
    }
    counts = dict(hierarchy.nodes.group_by("level").len().iter_rows())
    print(
        f"\n{name}: {hierarchy.bottom.height} regular series scored, {counts['sku']} skus, "
        f"{counts['product_family']} families, {counts['region']} regions; {errors.shape[1]} error months per node "
        f"for MinT; {int(np.isfinite(actual[0]).sum())} months scored after the newest origin"
    )
    extra = backtest.aggregate_seconds / backtest.bottom_seconds
    print(
        f"  forecasts: bottom {hierarchy.bottom.height} series {backtest.bottom_seconds:.1f} s; "
        f"the {hierarchy.aggregates} aggregates {backtest.aggregate_seconds:.1f} s (+{extra:.0%}), "
        f"peak {backtest.aggregate_mib:.0f} MiB (process and workers)"
    )
    header = "".join(f" {level + ' WAPE':>19} {'bias':>6}" for level in SCORED_LEVELS)
    print(f"  {'method':<26}{header} {'seconds':>8} {'MiB':>6}")
    rows = {"base (own forecasts)": (_level_scores(hierarchy, base, actual), None, None)}
    for method, run in methods.items():
        bottom, seconds, mib = _traced(run)
        rows[method] = (_level_scores(hierarchy, hierarchy.coherent(bottom), actual), seconds, mib)
    for method, (scores, seconds, mib) in rows.items():
        figures = "".join(f" {wape:19.4f} {bias:+6.3f}" for wape, bias in scores.values())
        cost = f" {seconds:8.3f} {mib:6.1f}" if seconds is not None else f" {'':>8} {'':>6}"
        print(f"  {method:<26}{figures}{cost}")
    best = min(methods, key=lambda method: rows[method][0]["product_family"][0])
    print(f"  best at the family level: {best} (WAPE {rows[best][0]['product_family'][0]:.4f})")
    _check_against_library(hierarchy, base, errors)


def _check_against_library(hierarchy: Hierarchy, base: np.ndarray, errors: np.ndarray) -> None:
    """hierarchicalforecast's dense MinT on the same inputs: the same numbers, and its cost."""
    from hierarchicalforecast.methods import MinTrace

    summing = np.vstack([hierarchy.summing.toarray(), np.eye(hierarchy.bottom.height)])

    def run() -> np.ndarray:
        residuals = {"y_insample": errors, "y_hat_insample": np.zeros_like(errors)}
        return MinTrace(method="mint_shrink").fit_predict(S=summing, y_hat=base, **residuals)["mean"]

    reconciled, seconds = _timed(run)
    library = reconciled[hierarchy.aggregates :]
    ours = mint_shrink(hierarchy, base, errors)
    print(
        f"  hierarchicalforecast MinTrace(mint_shrink), dense: {seconds:.2f} s, W alone "
        f"{base.shape[0] ** 2 * 8 / 2**20:.0f} MiB; largest difference from mint_shrink "
        f"{np.abs(library - ours).max():.2e} units (largest forecast {np.abs(ours).max():.0f})"
    )


def scale() -> None:
    """mint_shrink and middle_out at 50,000 series on random forecasts and errors."""
    rng = np.random.default_rng(SEED)
    skus = [f"S{index:05d}" for index in range(SCALE_SKUS)]
    bottom = pl.DataFrame(
        {
            "sku": np.repeat(skus, SCALE_REGIONS),
            "region": np.tile([f"R{index}" for index in range(SCALE_REGIONS)], SCALE_SKUS),
            "product_family": np.repeat([f"F{index % SCALE_FAMILIES}" for index in range(SCALE_SKUS)], SCALE_REGIONS),
        }
    )
    hierarchy, seconds, mib = _traced(lambda: Hierarchy.of(bottom))
    nodes = hierarchy.aggregates + bottom.height
    forecasts = rng.gamma(2.0, 50.0, (nodes, CONFIG.horizon_months))
    errors = rng.normal(0.0, 1.0, (nodes, SCALE_ERRORS)) + rng.normal(0.0, 1.0, (1, SCALE_ERRORS))
    print(
        f"\nAt {bottom.height:,} series ({nodes:,} nodes, {SCALE_ERRORS} error months, {CONFIG.horizon_months} steps):"
    )
    print(f"  hierarchy: {seconds:.2f} s, {mib:.0f} MiB")
    for method, run in {
        "middle_out": lambda: middle_out(hierarchy, forecasts),
        "mint_shrink": lambda: mint_shrink(hierarchy, forecasts, errors),
    }.items():
        _, seconds, mib = _traced(run)
        print(f"  {method}: {seconds:.2f} s, peak {mib:.0f} MiB")
    print(f"  a dense W (hierarchicalforecast's MinTrace) would be {nodes**2 * 8 / 2**30:.0f} GiB alone")


def main() -> None:
    for name, spec in COMPANIES.items():
        report(name, sample_history(spec))
    scale()


if __name__ == "__main__":
    main()
