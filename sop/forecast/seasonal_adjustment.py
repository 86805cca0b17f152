"""Models fitted to a series less its season, the season put back on their forecasts.

Two seasonal adjustments stand in for what statsforecast does inside its models, to the last digit,
without its overhead (tested against statsforecast's own in `tests/forecast/test_model_pool.py`):

- `stl_adjustment`: statsforecast's MSTL with one season, whose pandas frames take two thirds of
  its time: statsmodels' STL, as MSTL calls it, with the last season repeated (MSTL-ETS).
- `classical_adjustment`: the Theta models' seasonal test and classical decomposition, redone at
  every fit and `forward`. The test asks scipy for a normal quantile and the decomposition goes
  through pandas (statsmodels' `seasonal_decompose`): on the sample's regular series that overhead
  is a third of DynamicTheta's time (a fit, two forwards and a forecast: 1.6 ms a series against
  1.1 here) and an eighth of DynamicOptimizedTheta's (2.8 against 2.5). Digit for digit on every
  path: multiplicative, additive, no season.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

SEASONAL_TEST_QUANTILE = 1.6448536269514722
"""The 95% quantile of the standard normal, at which statsforecast's test finds a season."""
SMALLEST_SEASONAL_FACTOR = 0.01
"""Below this a multiplicative season is unusable, and the additive one is taken (statsforecast's rule)."""


@dataclass(frozen=True)
class Season:
    multiplicative: bool
    last: np.ndarray
    """The seasonal component's last full season: its forecast, repeated."""

    def applied(self, forecast: np.ndarray) -> np.ndarray:
        season = np.tile(self.last, math.ceil(forecast.size / self.last.size))[: forecast.size]
        return forecast * season if self.multiplicative else forecast + season


Adjustment = Callable[[np.ndarray], tuple[np.ndarray, Season | None]]
"""A history -> the history less its season, and the season to put back (None: none found)."""


class SeasonallyAdjusted:
    """`core` (a statsforecast model without a season) on the series as `adjustment` leaves it."""

    def __init__(self, core: Callable[[], object], adjustment: Adjustment) -> None:
        self.core, self.adjustment = core, adjustment

    def forecast(self, y: np.ndarray, h: int, fitted: bool = False) -> dict[str, np.ndarray]:
        """`fitted`: also the one-step forecasts over the history, its season put back
        (a model on a Box-Cox scale measures its spread with them)."""
        adjusted, season = self.adjustment(y)
        forecast = self.core().forecast(y=adjusted, h=h, fitted=fitted)
        result = _reseasonalized(forecast, season)
        if fitted:
            result["fitted"] = _in_sample(forecast["fitted"], y, adjusted, season)
        return result

    def fit(self, y: np.ndarray) -> SeasonallyAdjusted:
        adjusted, self.season = self.adjustment(y)
        self.model = self.core().fit(y=adjusted)
        self.history = (y, adjusted)
        return self

    def predict(self, h: int) -> dict[str, np.ndarray]:
        return _reseasonalized(self.model.predict(h=h), self.season)

    def predict_in_sample(self) -> dict[str, np.ndarray]:
        return {"fitted": _in_sample(self.model.predict_in_sample()["fitted"], *self.history, self.season)}

    def forward(self, y: np.ndarray, h: int) -> dict[str, np.ndarray]:
        # As statsforecast does, the season is taken again from the longer history.
        adjusted, season = self.adjustment(y)
        return _reseasonalized(self.model.forward(y=adjusted, h=h), season)


def _in_sample(fitted: np.ndarray, y: np.ndarray, adjusted: np.ndarray, season: Season | None) -> np.ndarray:
    """One-step forecasts of the adjusted history, with the season it was adjusted by put back."""
    if season is None:
        return fitted
    return fitted * (y / adjusted) if season.multiplicative else fitted + (y - adjusted)


STL_SEASONAL_WINDOW = 11
"""MSTL's window for a single season (R's forecast::mstl)."""


def stl_adjustment(y: np.ndarray, period: int) -> tuple[np.ndarray, Season]:
    """statsforecast MSTL's: the STL seasonal component taken off."""
    seasonal = _stl_seasonal(np.ascontiguousarray(y, dtype=float).tobytes(), period)
    return y - seasonal, Season(False, seasonal[-period:])


@lru_cache(maxsize=16)
def _stl_seasonal(history: bytes, period: int) -> np.ndarray:
    """The STL seasonal component of a history (float64 bytes), read-only. Remembered: STL is most of
    the cost of the models that use it, and the pool's two models on the same Box-Cox scale
    adjust each series one after the other on the same histories."""
    from statsmodels.tsa.seasonal import STL  # with statsforecast, on first use: seconds of imports

    y = np.frombuffer(history)
    seasonal = STL(y, period=period, seasonal=STL_SEASONAL_WINDOW, seasonal_deg=0).fit().seasonal
    seasonal.flags.writeable = False
    return seasonal


def classical_adjustment(y: np.ndarray, period: int) -> tuple[np.ndarray, Season | None]:
    """statsforecast Theta's: a classical decomposition's season taken off where its test finds one."""
    if period < 4 or len(y) < 2 * period or not _has_season(y, period):
        return y, None
    multiplicative = bool(y.min() > 0)
    seasonal = _classical_seasonal(y, period, multiplicative)
    if multiplicative and (seasonal < SMALLEST_SEASONAL_FACTOR).any():
        multiplicative = False
        seasonal = _classical_seasonal(y, period, multiplicative)
    adjusted = y / seasonal if multiplicative else y - seasonal
    return adjusted, Season(multiplicative, seasonal[-period:])


def _reseasonalized(forecast: dict[str, np.ndarray], season: Season | None) -> dict[str, np.ndarray]:
    return {"mean": forecast["mean"] if season is None else season.applied(forecast["mean"])}


def _has_season(y: np.ndarray, period: int) -> bool:
    """statsforecast's test: the autocorrelation at one season is significant at 90%, two-sided,
    against Bartlett's standard error (statsmodels' `acf`, biased, without FFT)."""
    centred = y - y.mean()
    covariance = np.correlate(centred, centred, "full")[len(y) - 1 : len(y) + period] / len(y)
    with np.errstate(divide="ignore", invalid="ignore"):
        correlation = (covariance / covariance[0])[1:]
        error = np.sqrt((1 + 2 * np.sum(correlation[:-1] ** 2)) / len(y))
        return bool(np.abs(correlation[-1]) / error > SEASONAL_TEST_QUANTILE)


def _classical_seasonal(y: np.ndarray, period: int, multiplicative: bool) -> np.ndarray:
    """statsmodels' `seasonal_decompose(y, model, period).seasonal`: a centred moving average as the
    trend, the mean detrended value of each month of the season, normalized."""
    if period % 2 == 0:  # the window's ends weigh half, so that it stays centred
        window = np.array([0.5] + [1] * (period - 1) + [0.5]) / period
    else:
        window = np.repeat(1.0 / period, period)
    # Imported here: scipy.signal costs half a second, which loading the Dagster definitions (every CLI
    # call, the UI's code server) never needs. statsmodels smooths with it, so the digits match.
    from scipy import signal

    trend = np.full(len(y), np.nan)
    head = math.ceil(len(window) / 2) - 1
    smoothed = signal.convolve(y, window, mode="valid")
    trend[head : head + len(smoothed)] = smoothed
    detrended = y / trend if multiplicative else y - trend
    known = ~np.isnan(detrended)
    filled = np.where(known, detrended, 0.0)
    means = np.array(
        [np.ascontiguousarray(filled[month::period]).sum() / known[month::period].sum() for month in range(period)]
    )
    means = means / np.mean(means) if multiplicative else means - np.mean(means)
    return np.tile(means, len(y) // period + 1)[: len(y)]
