"""Prediction intervals calibrated on the errors the forecasts actually made (split conformal).

The errors of the combined forecast at the rolling origins are divided by each series' scale, so
that big and small series can share them, and pooled per step ahead over all series of a segment.
The interval of a step is the forecast plus the scale times the pooled error quantiles of that
step: 10% and 90% for the 80% interval, 2.5% and 97.5% for the 95% one. Separate upper and lower
quantiles keep the skew of demand (a sale can exceed the forecast far more than fall short).

Steps with too few errors to estimate a tail (the far horizon, measured from the oldest origins
only) extrapolate from the last well-measured step as the square root of the steps ahead, the
way a random walk's spread grows. Intervals never narrow as the horizon grows, and always contain
the forecast.
"""

from __future__ import annotations

from statistics import NormalDist

import numpy as np

MIN_ERRORS_PER_STEP = 40
"""Fewer errors than this cannot place a 2.5% tail: the step is extrapolated instead."""
RANDOM_WALK_SPREAD = 1.25
"""With nothing to calibrate on: a random walk's step sd, in units of its mean absolute step (sqrt(pi/2))."""


def calibrate(scaled_errors: np.ndarray, levels: tuple[int, ...], horizon: int) -> np.ndarray:
    """[level, side (lower, upper), step] error quantiles from scaled errors [s, o, h] (NaN: none)."""
    quantiles = np.zeros((len(levels), 2, horizon))
    steps = scaled_errors.shape[-1] if scaled_errors.size else 0
    for level_index, level in enumerate(levels):
        tails = ((100 - level) / 200, (100 + level) / 200)
        measured = 0
        for step in range(min(steps, horizon)):
            errors = scaled_errors[..., step]
            errors = errors[np.isfinite(errors)]
            if errors.size < MIN_ERRORS_PER_STEP:
                break
            quantiles[level_index, 0, step] = np.quantile(errors, tails[0], method="lower")
            quantiles[level_index, 1, step] = np.quantile(errors, tails[1], method="higher")
            measured = step + 1
        ahead = np.arange(1, horizon + 1)
        if measured:
            last = quantiles[level_index, :, measured - 1]
            growth = np.sqrt(ahead[measured:] / measured)
            quantiles[level_index, :, measured:] = last[:, None] * growth[None, :]
        else:
            z = NormalDist().inv_cdf(tails[1])
            quantiles[level_index, 1] = z * RANDOM_WALK_SPREAD * np.sqrt(ahead)
            quantiles[level_index, 0] = -quantiles[level_index, 1]
        quantiles[level_index, 0] = np.minimum.accumulate(np.minimum(quantiles[level_index, 0], 0.0))
        quantiles[level_index, 1] = np.maximum.accumulate(np.maximum(quantiles[level_index, 1], 0.0))
    return quantiles


def bounds(point: np.ndarray, scale: np.ndarray, quantiles: np.ndarray) -> np.ndarray:
    """[level, side, s, h] interval bounds around point [s, h] for series scales [s]."""
    return point[None, None] + scale[None, None, :, None] * quantiles[:, :, None, :]


def coverage(actual: np.ndarray, low: np.ndarray, high: np.ndarray) -> float | None:
    """Share of the actual values (NaN: none) that fall inside [low, high]."""
    known = np.isfinite(actual)
    if not known.any():
        return None
    return float(((actual >= low) & (actual <= high))[known].mean())
