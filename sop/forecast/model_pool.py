"""The candidate models by name: each maps to a statsforecast model built for a season length.

The default pools (`ForecastConfig.pools`) were chosen by measured accuracy and cost: M1 and Tourism
monthly (`bench/forecast_competitions.py`), the sample company's backtest, and the cost on series
that are all regular (`bench/scale.py --regular`):

- regular demand (smooth or erratic): the Theta family (DynamicOptimizedTheta, DynamicTheta),
  complex exponential smoothing fitted to the logarithm of demand (CES-log: its full seasonal form),
  exponential smoothing of the seasonally adjusted series (MSTL-ETS: an STL decomposition with
  ETS(A,N,N) on trend and remainder) and SeasonalNaive. On the logarithm, season and trend act in
  proportion to the level, as they do in much demand: with CES-log in place of CES (refitted at every
  origin before) the combination is more accurate on M1 (MASE 1.004 against 1.006) and Tourism (1.366
  against 1.385), and less biased on the sample company's backtest (-6.6% against -6.9%, for a WAPE
  of 0.344 against 0.343; all with the origins weighted alike). Where CES-log's forwards run off,
  the series does without it (`sop.forecast.rolling_origin`). The two Theta models are
  statsforecast's, with the seasonal adjustment done in numpy, and MSTL-ETS is statsforecast's MSTL
  without its pandas frames (`sop.forecast.seasonal_adjustment`): the same numbers at less cost.
  The standard Theta method forecasts as well, but its `forward` gives different last digits for
  the same series at different memory addresses (a Dask worker's copy against a local one).
  A fit of full AutoETS costs about 45 ms and one of the airline ARIMA about 25 ms, against 1 to 5 ms
  for each of these; both stay available by name for a pool that can afford them.
- intermittent demand (intermittent or lumpy): Croston (SBA), ADIDA, IMAPA, TSB and the
  optimized simple exponential smoothing; each costs microseconds.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from types import ModuleType

import numpy as np

from sop.forecast.seasonal_adjustment import SeasonallyAdjusted, classical_adjustment, stl_adjustment

EXPLOSION = 10.0
"""No demand forecast worth keeping is ten times the largest month its series ever had (or, on the
log scale, a tenth of the smallest)."""

ModelFactory = Callable[[ModuleType, int], object]
"""Builds a model from the module `statsforecast.models` and a season length."""


class OnLogScale:
    """A model fitted to log(1 + demand) whose forecasts are turned back into units. Demand is never
    negative (the sales contract), and the 1 keeps months without sales finite.

    Turned back as it is, a forecast of the logarithm is the median of demand, not its mean: on
    the sample company that ran 11% low (the backtest's bias), and the plan adds series up, where
    medians do not add. So the forecast is the mean of a log-normal, exp(mu + sigma^2 / 2) - 1,
    with sigma^2 the variance of the model's one-step errors over the history."""

    def __init__(self, model: object) -> None:
        self.model = model

    def forecast(self, y: np.ndarray, h: int) -> dict[str, np.ndarray]:
        log_y = np.log1p(y)
        forecast = self.model.forecast(y=log_y, h=h, fitted=True)
        return _mean_units(forecast["mean"], _error_variance(log_y, forecast["fitted"]), log_y)

    def fit(self, y: np.ndarray) -> OnLogScale:
        self.log_y = np.log1p(y)
        self.model = self.model.fit(y=self.log_y)
        # The fit's own spread, kept for its forwards: run over a longer history, parameters fitted
        # on a shorter one can drift, and their one-step errors would inflate the correction.
        self.variance = _error_variance(self.log_y, self.model.predict_in_sample()["fitted"])
        return self

    def predict(self, h: int) -> dict[str, np.ndarray]:
        return _mean_units(self.model.predict(h=h)["mean"], self.variance, self.log_y)

    def forward(self, y: np.ndarray, h: int) -> dict[str, np.ndarray]:
        log_y = np.log1p(y)
        return _mean_units(self.model.forward(y=log_y, h=h)["mean"], self.variance, log_y)


def _error_variance(log_y: np.ndarray, fitted: np.ndarray) -> float:
    errors = (log_y - fitted)[1:]  # the first month is the model's starting point
    errors = errors[np.isfinite(errors)]
    return float(np.var(errors)) if errors.size > 2 else 0.0


def _mean_units(log_mean: np.ndarray, variance: float, log_y: np.ndarray) -> dict[str, np.ndarray]:
    # Run off downwards on the log scale, a forecast would come back as a plausible -1 unit: it is
    # made infinite, which the pool rejects, like one that runs off upwards.
    floor = log_y.min() - np.log(EXPLOSION)
    with np.errstate(over="ignore"):
        return {"mean": np.where(log_mean >= floor, np.expm1(log_mean + variance / 2), np.inf)}


def _ces(sf: ModuleType, season: int) -> object:
    # The full seasonal CES alone forecasts M1 and Tourism as well as AutoCES, which also fits the
    # simple, partial and non-seasonal forms and keeps the best by AICc, at 2.5 times its cost.
    return sf.AutoCES(season_length=season, model="F")


MODELS: dict[str, ModelFactory] = {
    "DynamicOptimizedTheta": lambda sf, season: SeasonallyAdjusted(
        lambda: sf.DynamicOptimizedTheta(season_length=1), partial(classical_adjustment, period=season)
    ),
    "DynamicTheta": lambda sf, season: SeasonallyAdjusted(
        lambda: sf.DynamicTheta(season_length=1), partial(classical_adjustment, period=season)
    ),
    "AutoTheta": lambda sf, season: sf.AutoTheta(season_length=season),
    "AutoCES": lambda sf, season: sf.AutoCES(season_length=season),
    "CES": _ces,
    "CES-log": lambda sf, season: OnLogScale(_ces(sf, season)),
    "MSTL-ETS": lambda sf, season: SeasonallyAdjusted(
        lambda: sf.AutoETS(model="ANN"), partial(stl_adjustment, period=season)
    ),
    "AutoETS": lambda sf, season: sf.AutoETS(season_length=season),
    "ARIMA-airline": lambda sf, season: sf.ARIMA(order=(0, 1, 1), seasonal_order=(0, 1, 1), season_length=season),
    "SeasonalNaive": lambda sf, season: sf.SeasonalNaive(season_length=season),
    "Naive": lambda sf, season: sf.Naive(),
    "CrostonSBA": lambda sf, season: sf.CrostonSBA(),
    "ADIDA": lambda sf, season: sf.ADIDA(),
    "IMAPA": lambda sf, season: sf.IMAPA(),
    # statsforecast's TSB takes fixed smoothing constants; 0.1 for both is the customary choice
    # for monthly data (Teunter, Syntetos and Babai 2011).
    "TSB": lambda sf, season: sf.TSB(alpha_d=0.1, alpha_p=0.1),
    "SES": lambda sf, season: sf.SimpleExponentialSmoothingOptimized(),
}


def check_names(names: tuple[str, ...]) -> None:
    unknown = [name for name in names if name not in MODELS]
    if unknown:
        raise ValueError(f"unknown forecasting models {unknown}; known: {sorted(MODELS)}")


def statsforecast_models() -> ModuleType:
    """`statsforecast.models`, imported on first use: it brings statsmodels and dask, seconds of imports
    that loading the Dagster definitions (every CLI call, the UI's code server) never needs."""
    from statsforecast import models

    return models


def build(name: str, season_length: int) -> object:
    check_names((name,))
    return MODELS[name](statsforecast_models(), season_length)
