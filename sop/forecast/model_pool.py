"""The candidate models by name: each maps to a statsforecast model built for a season length.

The default pools (`ForecastConfig.pools`) were chosen by
measured accuracy and cost (`bench/forecast_competitions.py`, M1 and Tourism monthly, 2 cores):

- regular demand (smooth or erratic): the Theta family (DynamicOptimizedTheta, DynamicTheta),
  complex exponential smoothing (CES, its full seasonal form), exponential smoothing of the seasonally adjusted series
  (MSTL-ETS: an MSTL decomposition with ETS(A,N,N) on trend and remainder) and SeasonalNaive.
  Full AutoETS costs about 45 ms a series and the airline ARIMA about 25 ms, against 1 to 6 ms for
  each of these; both stay available by name for a pool that can afford them.
- intermittent demand (intermittent or lumpy): Croston (SBA), ADIDA, IMAPA, TSB and the
  optimized simple exponential smoothing; each costs microseconds.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

ModelFactory = Callable[[ModuleType, int], object]
"""Builds a model from the module `statsforecast.models` and a season length."""

MODELS: dict[str, ModelFactory] = {
    "DynamicOptimizedTheta": lambda sf, season: sf.DynamicOptimizedTheta(season_length=season),
    "DynamicTheta": lambda sf, season: sf.DynamicTheta(season_length=season),
    "AutoTheta": lambda sf, season: sf.AutoTheta(season_length=season),
    "AutoCES": lambda sf, season: sf.AutoCES(season_length=season),
    # The full seasonal CES alone forecasts M1 and Tourism as well as AutoCES, which also fits the
    # simple, partial and non-seasonal forms and keeps the best by AICc, at 2.5 times its cost.
    "CES": lambda sf, season: sf.AutoCES(season_length=season, model="F"),
    "MSTL-ETS": lambda sf, season: sf.MSTL(season_length=season, trend_forecaster=sf.AutoETS(model="ANN")),
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


NO_FORWARD = frozenset({"AutoCES", "CES"})
"""Models refitted at every rolling origin although they have `forward`: statsforecast's CES
forward keeps the smoothing parameters but not the fitted initial states, and its forecasts
can explode (errors of 10^5 times the level on the sample data)."""


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
