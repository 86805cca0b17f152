"""The candidate models by name: each maps to a statsforecast model built for a season length.

The default pools (`ForecastConfig.pools`) were chosen by measured accuracy and cost: M1 and Tourism
monthly (`bench/forecast_competitions.py`), the sample company's backtest, and the cost on series
that are all regular (`bench/scale.py --regular`):

- regular demand (smooth or erratic): the Theta family (DynamicOptimizedTheta, DynamicTheta),
  complex exponential smoothing fitted to the logarithm of demand (CES-log: its full seasonal form),
  and on a Box-Cox scale chosen per series, the series less its STL season forecast by exponential
  smoothing (MSTL-ETS-BoxCox: ETS(A,N,N)) and by a random walk with drift (MSTL-Drift-BoxCox), and
  SeasonalNaive. On the logarithm or a Box-Cox scale, season and trend act in proportion to the
  level, as they do in much demand: with CES-log in place of CES (refitted at every origin before)
  the combination is more accurate on M1 (MASE 1.004 against 1.006) and Tourism (1.366 against
  1.385), and less biased on the sample company's backtest (-6.6% against -6.9%, for a WAPE of
  0.344 against 0.343; all with the origins weighted alike). Where CES-log's forwards run off, the
  series does without it (`sop.forecast.rolling_origin`). They run off for half of the sample
  company's four-year series, and there the combination forecasts as well without it (WAPE 0.347
  against 0.349, families 0.068 either way) at 40% less cost, so it forecasts only series of five
  years or more (`model_min_history_months`; M1 then scores 0.998 against 0.993, Tourism's series
  are all longer). The drift is what the pool lacked for long horizons: alone it forecasts worse
  than any other member but SeasonalNaive, yet without it the combination scores M1 at 1.017 and
  Tourism (24 months ahead) at 1.335, against 0.998 and 1.325 with it; a holdout cut from the
  training histories alone would have kept it too (M1 1.217 to 1.205, Tourism 1.790 to 1.781,
  measured with CES-log on every series). Where its drift runs a forecast below zero (6 of M1's
  617 series when it forecasts alone) the series does without it. MSTL-ETS on the Box-Cox scale forecasts M1 at 1.044
  alone against 1.053 on demand as it is, Tourism at 1.408 against 1.531. The two Theta models are
  statsforecast's, with the seasonal adjustment done in numpy, and MSTL-ETS is statsforecast's MSTL
  without its pandas frames (`sop.forecast.seasonal_adjustment`): the same numbers at less cost. The two Box-Cox members
  share their scale and their STL season for each history, which is most of their cost.
  The standard Theta method forecasts as well, but its `forward` gives different last digits for
  the same series at different memory addresses (a Dask worker's copy against a local one).
  A fit of full AutoETS costs about 45 ms and one of the airline ARIMA about 25 ms, against 1 to 5 ms
  for each of these; both stay available by name for a pool that can afford them.
- intermittent demand (intermittent or lumpy): Croston (SBA), ADIDA, IMAPA, TSB and the
  optimized simple exponential smoothing; each costs microseconds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, partial
from types import ModuleType

import numpy as np

from sop.forecast.seasonal_adjustment import SeasonallyAdjusted, classical_adjustment, stl_adjustment

EXPLOSION = 10.0
"""No demand forecast worth keeping is ten times the largest month its series ever had (or, on the
log scale, a tenth of the smallest)."""

ModelFactory = Callable[[ModuleType, int], object]
"""Builds a model from the module `statsforecast.models` and a season length."""


class OnBoxCoxScale:
    """A model fitted to 1 + demand on a Box-Cox scale, whose forecasts are turned back into units.
    Demand is never negative (the sales contract), and the 1 keeps months without sales finite.

    The scale's lambda is fixed, or chosen at each fit by Guerrero's method (the one that steadies
    the season-to-season spread) between 0, the logarithm, and 1, demand as it is. On such a scale,
    season and trend can act in proportion to the level, as they do in much demand.

    Turned back as it is, a forecast on the scale is the median of demand, not its mean: on the
    sample company the logarithm's median ran 11% low (the backtest's bias), and the plan adds
    series up, where medians do not add. So the forecast is the mean, with sigma^2 the variance of
    the model's one-step errors on the scale: exp(mu + sigma^2 / 2) - 1 on the logarithm (a
    log-normal's mean), and the usual second-order correction of the median elsewhere
    (Hyndman and Athanasopoulos, Forecasting: principles and practice, 3rd ed., 5.6)."""

    def __init__(self, model: object, season_length: int | None = None) -> None:
        """`season_length` None: the logarithm; otherwise Guerrero's lambda over that season."""
        self.model, self.season_length = model, season_length

    def forecast(self, y: np.ndarray, h: int) -> dict[str, np.ndarray]:
        scale = _BoxCox.of(y, self.season_length)
        z = scale.forward(y)
        forecast = self.model.forecast(y=z, h=h, fitted=True)
        return scale.units(forecast["mean"], _error_variance(z, forecast["fitted"]), z)

    def fit(self, y: np.ndarray) -> OnBoxCoxScale:
        self.scale = _BoxCox.of(y, self.season_length)
        self.z = self.scale.forward(y)
        self.model = self.model.fit(y=self.z)
        # The fit's own spread, kept for its forwards: run over a longer history, parameters fitted
        # on a shorter one can drift, and their one-step errors would inflate the correction.
        self.variance = _error_variance(self.z, self.model.predict_in_sample()["fitted"])
        return self

    def predict(self, h: int) -> dict[str, np.ndarray]:
        return self.scale.units(self.model.predict(h=h)["mean"], self.variance, self.z)

    def forward(self, y: np.ndarray, h: int) -> dict[str, np.ndarray]:
        z = self.scale.forward(y)
        return self.scale.units(self.model.forward(y=z, h=h)["mean"], self.variance, z)


@dataclass(frozen=True)
class _BoxCox:
    lam: float
    """0 is the logarithm."""

    @classmethod
    def of(cls, y: np.ndarray, season_length: int | None) -> _BoxCox:
        if season_length is None:
            return cls(0.0)
        lam = _guerrero_lambda(np.ascontiguousarray(y, dtype=float).tobytes(), season_length)
        return cls(0.0 if lam < LOG_LAMBDA else lam)

    def forward(self, y: np.ndarray) -> np.ndarray:
        return np.log1p(y) if self.lam == 0 else ((y + 1.0) ** self.lam - 1.0) / self.lam

    def units(self, mean: np.ndarray, variance: float, z: np.ndarray) -> dict[str, np.ndarray]:
        """The mean of demand from the scale's forecast `mean`. Run off downwards on the scale, below
        a tenth of the history's smallest 1 + demand, a forecast would come back as a plausible
        -1 unit: it is made infinite, which the pool rejects, like one that runs off upwards."""
        if self.lam == 0:
            floor = z.min() - np.log(EXPLOSION)
            with np.errstate(over="ignore"):
                return {"mean": np.where(mean >= floor, np.expm1(mean + variance / 2), np.inf)}
        base = self.lam * mean + 1.0
        floor = (self.lam * z.min() + 1.0) ** (1.0 / self.lam) / EXPLOSION
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            median = np.where(base > 0, base, np.nan) ** (1.0 / self.lam)
            corrected = median * (1.0 + variance * (1.0 - self.lam) / (2.0 * base**2)) - 1.0
        return {"mean": np.where(median >= floor, corrected, np.inf)}


LOG_LAMBDA = 1e-3
"""Guerrero's lambda below which the logarithm is taken: the two scales are then alike."""


@lru_cache(maxsize=16)
def _guerrero_lambda(history: bytes, season_length: int) -> float:
    """Guerrero's lambda between 0 and 1 for 1 + the history (float64 bytes). Remembered: the pool's
    two Box-Cox members fit each series one after the other on the same histories."""
    from coreforecast.scalers import boxcox_lambda  # with statsforecast, on first use

    y = np.frombuffer(history)
    return float(boxcox_lambda(y + 1.0, method="guerrero", season_length=season_length, lower=0.0, upper=1.0))


class Drift:
    """A random walk with drift: the last month plus the history's mean monthly change. Unlike
    statsforecast's RandomWalkWithDrift, it runs `forward`: over a longer history it keeps its
    fitted drift and starts from that history's last month."""

    def forecast(self, y: np.ndarray, h: int, fitted: bool = False) -> dict[str, np.ndarray]:
        self.fit(y=y)
        forecast = self.predict(h=h)
        return {**forecast, **self.predict_in_sample()} if fitted else forecast

    def fit(self, y: np.ndarray) -> Drift:
        self.y = y
        self.drift = (y[-1] - y[0]) / (len(y) - 1) if len(y) > 1 else 0.0
        return self

    def predict(self, h: int) -> dict[str, np.ndarray]:
        return self.forward(self.y, h)

    def predict_in_sample(self) -> dict[str, np.ndarray]:
        return {"fitted": np.concatenate([[np.nan], self.y[:-1] + self.drift])}

    def forward(self, y: np.ndarray, h: int) -> dict[str, np.ndarray]:
        return {"mean": y[-1] + self.drift * np.arange(1, h + 1)}


def _error_variance(z: np.ndarray, fitted: np.ndarray) -> float:
    errors = (z - fitted)[1:]  # the first month is the model's starting point
    errors = errors[np.isfinite(errors)]
    return float(np.var(errors)) if errors.size > 2 else 0.0


def _mstl_ets(sf: ModuleType, season: int) -> SeasonallyAdjusted:
    return SeasonallyAdjusted(lambda: sf.AutoETS(model="ANN"), partial(stl_adjustment, period=season))


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
    "CES-log": lambda sf, season: OnBoxCoxScale(_ces(sf, season)),
    "MSTL-ETS": lambda sf, season: _mstl_ets(sf, season),
    "MSTL-ETS-BoxCox": lambda sf, season: OnBoxCoxScale(_mstl_ets(sf, season), season),
    "MSTL-Drift-BoxCox": lambda sf, season: OnBoxCoxScale(
        SeasonallyAdjusted(Drift, partial(stl_adjustment, period=season)), season
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
