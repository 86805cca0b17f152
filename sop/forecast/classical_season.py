"""statsforecast's Theta models, to the last digit, with their seasonal adjustment done here.

statsforecast's Theta models test each history for a season, adjust it by a classical
decomposition, fit or run the model on the adjusted series and put the season back, at every fit
and every `forward`. The test asks scipy for a normal quantile and the decomposition goes through
pandas (statsmodels' `seasonal_decompose`): on the sample's regular series that overhead is a third
of DynamicTheta's time (a fit, two forwards and a forecast: 1.6 ms a series against 1.1 here) and
an eighth of DynamicOptimizedTheta's (2.8 against 2.5). The same steps in numpy, around the model
built without a season, give the same numbers: `tests/forecast/test_model_pool.py` compares them
with statsforecast's own, digit for digit, on every path (multiplicative, additive, no season).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import signal

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


class SeasonallyAdjustedTheta:
    """A Theta model of statsforecast for a season length: `core` builds it without a season."""

    def __init__(self, core: Callable[[], object], season_length: int) -> None:
        self.core, self.season_length = core, season_length

    def forecast(self, y: np.ndarray, h: int) -> dict[str, np.ndarray]:
        adjusted, season = self._adjusted(y)
        return _reseasonalized(self.core().forecast(y=adjusted, h=h), season)

    def fit(self, y: np.ndarray) -> SeasonallyAdjustedTheta:
        adjusted, self.season = self._adjusted(y)
        self.model = self.core().fit(y=adjusted)
        return self

    def predict(self, h: int) -> dict[str, np.ndarray]:
        return _reseasonalized(self.model.predict(h=h), self.season)

    def forward(self, y: np.ndarray, h: int) -> dict[str, np.ndarray]:
        # As statsforecast does, the test and the adjustment are redone on the longer history.
        adjusted, season = self._adjusted(y)
        return _reseasonalized(self.model.forward(y=adjusted, h=h), season)

    def _adjusted(self, y: np.ndarray) -> tuple[np.ndarray, Season | None]:
        period = self.season_length
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
