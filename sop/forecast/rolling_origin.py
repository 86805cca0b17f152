"""Forecasts of a pool of models from rolling origins and from the end of each series.

For each series and model: one fit at the earliest origin (its own forecast is the fit's
`predict`), then `forward` (the fitted model run over the longer history, parameters kept) at every
later origin, and one fit on the whole history for the forecast itself. Models without `forward`
(the intermittent ones, which cost microseconds) are refitted at every origin. Fitting once for all
origins halves the cost of refitting at each, and selects as well on the M1 and Tourism data
(`bench/forecast_competitions.py`). The forecast itself needs the fit on the whole history: run
forward from the earliest origin instead, parameters 18 months old forecast M1 at a MASE of 1.018
and Tourism at 1.384, against 1.004 and 1.366 (both with the origins weighted alike).

A forecast that explodes (not finite, or beyond `EXPLOSION` times the largest month of its
history) is no forecast: the model failed there. A model that failed at an origin gets no weight
for that series (`sop.forecast.combination`; with `best_model`, the series takes the next model),
so its fit from the end is skipped. CES parameters fitted on a shorter history can be unstable
over a longer one: on the sample data CES-log's forwards run off, 6 or 12 months past the fit, for
about half of the series. Refitting at each such origin, and fitting from the end, took 38% of the
regular pool's time on the all-regular sample, for a model that had shown it is unstable there;
the combination without it forecasts as well (M1, Tourism and the sample's backtest). Only where
no model is left with a forecast from the end does each get its fit from the end, for the equal
weights the combination falls back on.

A series longer than `recent_history_months` (120 by default) is forecast by each model from two
histories, the whole and its latest 120 months, and per series and model the one with the smaller
errors at the origins is kept: a long history can hold an older trend or season a model follows
too slowly, or give it the length a stable season needs. On Tourism, where 365 of the 366 series
are longer (up to 26 years), the combination's MASE is 1.325 against 1.335 from the latest ten
years alone; on M1 (60 series a few months longer) 0.998 against 0.997
(`bench/forecast_competitions.py`), for a second fit of every model on each longer series.
Shorter series, like the sample company's four years, are forecast once. The choice sees every
origin, so for longer series the held-out backtest of the newest origin (`sop.forecast.backtest`)
flatters the forecast slightly.

Every origin forecasts the whole horizon, and its errors are kept for every step that has an
actual value: the late steps of early origins are what calibrates the intervals far out. That is
why this is not `StatsForecast.cross_validation`, which needs the same full windows for every
series and scores a window only where its whole horizon has actuals.

Series are independent, so they are split into chunks and forecast in worker processes.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from sop.core.config import ForecastConfig
from sop.forecast.combination import origin_mae
from sop.forecast.model_pool import EXPLOSION, build, statsforecast_models

SERIES_PER_CHUNK = 64
"""Small enough to balance long and short series over the workers, large enough that process
hand-over costs little next to the fits."""


@dataclass(frozen=True)
class PoolForecasts:
    """Every model's forecasts for a set of series. Axes: m = model, s = series, o = origin, h = step."""

    models: tuple[str, ...]
    backs: tuple[int, ...]
    """The origins, in months before the end of each series (the newest first)."""
    final: np.ndarray
    """[m, s, h] forecasts from the end of the history; NaN where the model failed."""
    rolling: np.ndarray
    """[m, s, o, h] forecasts from each origin; NaN where the series is too short or the model failed."""
    actual: np.ndarray
    """[s, o, h] what happened after each origin; NaN after the end of the history."""
    failures: int
    """Model fits that raised or exploded, over all series and origins: such a model gets no weight there."""


@dataclass(frozen=True)
class PoolSpec:
    models: tuple[str, ...]
    season_length: int
    horizon: int
    backs: tuple[int, ...]
    min_train: int
    """An origin is used only if at least this many months precede it."""
    recent_months: int | None = None
    """A series longer than this is also forecast from its latest `recent_months` (None: never)."""
    selection_steps: int = ForecastConfig.selection_steps
    """Months after each origin whose errors choose between the whole and the recent history."""
    min_months: Mapping[str, int] = field(default_factory=dict)
    """Months a series needs before a model forecasts it, by model (others: any series)."""

    @classmethod
    def of(cls, models: tuple[str, ...], config: ForecastConfig) -> PoolSpec:
        """The pool of `models` as the forecast runs it: an origin needs two seasons before it."""
        return cls(
            models,
            config.season_length,
            config.horizon_months,
            config.origin_backs,
            2 * config.season_length,
            config.recent_history_months,
            config.selection_steps,
            config.model_min_history_months,
        )


Progress = Callable[[int, int], None]
"""Told (series done, series in all) as chunks finish, so a long run shows it is moving."""


def forecast_pool(
    series: Sequence[np.ndarray],
    spec: PoolSpec,
    n_jobs: int | None = None,
    progress: Progress | None = None,
    dask_scheduler: str | None = None,
) -> PoolForecasts:
    """Runs every model of `spec` on every series (float arrays, oldest month first), on this
    machine's cores, or on the Dask cluster whose scheduler address is given."""
    chunks = [list(series[start : start + SERIES_PER_CHUNK]) for start in range(0, len(series), SERIES_PER_CHUNK)]
    workers = min(n_jobs or os.cpu_count() or 1, len(chunks))
    parts, done = [], 0
    with contextlib.ExitStack() as stack:
        if dask_scheduler and chunks:
            results = _on_dask(stack, dask_scheduler, chunks, spec)
        elif workers <= 1:
            results = (_forecast_chunk(chunk, spec) for chunk in chunks)
        else:
            statsforecast_models()  # before the fork, so that no worker imports it again
            executor = stack.enter_context(ProcessPoolExecutor(workers, mp_context=_worker_context()))
            results = executor.map(_forecast_chunk, chunks, [spec] * len(chunks))
        for chunk, part in zip(chunks, results, strict=True):
            parts.append(part)
            done += len(chunk)
            if progress is not None:
                progress(done, len(series))
    if not parts:
        parts = [_forecast_chunk([], spec)]
    return PoolForecasts(
        models=spec.models,
        backs=spec.backs,
        final=np.concatenate([part[0] for part in parts], axis=1),
        rolling=np.concatenate([part[1] for part in parts], axis=1),
        actual=np.concatenate([part[2] for part in parts], axis=0),
        failures=sum(part[3] for part in parts),
    )


def _on_dask(
    stack: contextlib.ExitStack, address: str, chunks: list[list[np.ndarray]], spec: PoolSpec
) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray, int]]:
    """The chunks' results from a Dask cluster, in order: the same function on the same chunks,
    so the same numbers as on this machine."""
    # Imported here: distributed costs a second to import, and only clusters need it.
    from distributed import Client

    client = stack.enter_context(Client(address))
    futures = client.map(_forecast_chunk, chunks, [spec] * len(chunks), pure=False)
    return (future.result() for future in futures)


def _worker_context() -> multiprocessing.context.BaseContext:
    """fork on Linux: a worker starts in milliseconds with everything imported, where spawn and
    forkserver re-import statsforecast and the main module (seconds per run). The workers only
    fit models on the arrays handed to them; they never touch DuckDB or Dagster, whose threads a
    fork leaves behind. Elsewhere fork is unsafe, and the platform's default applies."""
    return multiprocessing.get_context("fork" if sys.platform == "linux" else None)


def _forecast_chunk(chunk: list[np.ndarray], spec: PoolSpec) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    n_models, n_origins = len(spec.models), len(spec.backs)
    final = np.full((n_models, len(chunk), spec.horizon), np.nan)
    rolling = np.full((n_models, len(chunk), n_origins, spec.horizon), np.nan)
    actual = np.full((len(chunk), n_origins, spec.horizon), np.nan)
    failures = 0
    with warnings.catch_warnings():
        # Optimizers warn on flat or short series; the error measured afterwards is what counts.
        warnings.simplefilter("ignore", RuntimeWarning)
        for index, y in enumerate(chunk):
            failures += _fill_series(y, spec, final[:, index], rolling[:, index], actual[index])
    return final, rolling, actual, failures


def _fill_series(y: np.ndarray, spec: PoolSpec, final: np.ndarray, rolling: np.ndarray, actual: np.ndarray) -> int:
    """Writes every model's forecasts of one series into `final` [m, h] and `rolling` [m, o, h], and what
    happened after each origin into `actual` [o, h]; returns the failures."""
    origins = _origins(y, spec)
    for k, cut in origins:
        after = y[cut : cut + spec.horizon]
        actual[k, : len(after)] = after
    failures, skipped = 0, {}
    for m, name in enumerate(spec.models):
        if len(y) < spec.min_months.get(name, 0):
            continue  # the model sits the series out: no forecasts, so no weight
        history, failed = _chosen_history(name, y, origins, spec, rolling[m], actual)
        failures += failed
        if np.isnan(rolling[m, [k for k, _ in origins], 0]).any():
            skipped[m] = history  # no weight for it (`sop.forecast.combination`): a fit from the end would be wasted
        else:
            failures += _fill_final(name, history, spec, final[m])
    if not np.isfinite(final).all(axis=1).any():
        # No model has a forecast from the end, each having failed somewhere: the ones that work at
        # the end share the weight equally.
        for m, history in skipped.items():
            failures += _fill_final(spec.models[m], history, spec, final[m])
    return failures


def _origins(y: np.ndarray, spec: PoolSpec) -> list[tuple[int, int]]:
    """(origin index, months before it) of every origin with enough history before it."""
    return [(k, len(y) - back) for k, back in enumerate(spec.backs) if len(y) - back >= spec.min_train]


def _chosen_history(
    name: str, y: np.ndarray, origins: list[tuple[int, int]], spec: PoolSpec, rolling: np.ndarray, actual: np.ndarray
) -> tuple[np.ndarray, int]:
    """The history `name` forecasts this series from, with its forecasts from the origins written
    into `rolling` [o, h]; and the failures. That is the whole series, or where it is longer than
    `spec.recent_months`, whichever of it and its latest `recent_months` forecast better at the
    origins (their MAE as the combination weighs it): a model may follow a long history's changes
    of trend or season too slowly, or need its length for a stable season."""
    failures = _fill_rolling(name, y, origins, spec, rolling)
    if spec.recent_months is None or len(y) <= spec.recent_months:
        return y, failures
    recent = y[-spec.recent_months :]
    recent_origins = _origins(recent, spec)
    if len(recent_origins) < len(origins):
        return y, failures  # judged on fewer origins, the recent history could not be compared
    from_recent = np.full_like(rolling, np.nan)
    failures += _fill_rolling(name, recent, recent_origins, spec, from_recent)
    picked = [k for k, _ in origins]
    mae = origin_mae(np.stack([rolling, from_recent])[:, None], actual[None], picked, spec.selection_steps)[:, 0]
    if np.isnan(mae[1]) or mae[0] <= mae[1]:
        return y, failures
    rolling[:] = from_recent
    return recent, failures


def _fill_final(name: str, y: np.ndarray, spec: PoolSpec, final: np.ndarray) -> int:
    """Writes one model's forecast of one series from its end into `final` [h]; returns its failures."""
    try:
        final[:] = _sane(build(name, spec.season_length).forecast(y=y, h=spec.horizon)["mean"], y)
    except Exception:  # statsforecast raises assorted errors on degenerate series; the model sits out
        return 1
    return 0


def _fill_rolling(name: str, y: np.ndarray, origins: list[tuple[int, int]], spec: PoolSpec, rolling: np.ndarray) -> int:
    """Writes one model's forecasts of one series from its origins into `rolling` [o, h], NaN where
    it failed; returns its failures."""
    if not origins:
        return 0
    earliest = min(cut for _, cut in origins)
    try:
        model = build(name, spec.season_length)
        fitted = model.fit(y=y[:earliest]) if hasattr(model, "forward") else None
    except Exception:
        return len(origins)
    failures = 0
    for k, cut in origins:
        try:
            rolling[k] = _at_origin(name, fitted, y[:cut], cut == earliest, spec)
        except Exception:
            failures += 1
    return failures


def _at_origin(name: str, fitted: object | None, history: np.ndarray, at_fit: bool, spec: PoolSpec) -> np.ndarray:
    """The forecast from the end of `history`: the earliest origin's fit, run forward to later origins,
    or for models without `forward`, a fit of its own."""
    if fitted is None:
        forecast = build(name, spec.season_length).forecast(y=history, h=spec.horizon)
    elif at_fit:
        forecast = fitted.predict(h=spec.horizon)  # what `forward` over the same history gives, without rerunning it
    else:
        forecast = fitted.forward(y=history, h=spec.horizon)
    return _sane(forecast["mean"], history)


def _sane(forecast: np.ndarray, history: np.ndarray) -> np.ndarray:
    if not np.all(np.isfinite(forecast)) or np.abs(forecast).max() > EXPLOSION * max(np.abs(history).max(), 1.0):
        raise FloatingPointError("exploding forecast")
    return forecast
