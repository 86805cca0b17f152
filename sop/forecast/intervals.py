"""Prediction intervals calibrated on the errors the forecasts actually made (split conformal).

The errors of the combined forecast at the rolling origins are divided by each series' scale, so
that big and small series can share them, and pooled per step ahead over all series of a segment.
The interval of a step is the forecast plus the scale times the pooled error quantiles of that
step: 10% and 90% for the 80% interval, 2.5% and 97.5% for the 95% one. Separate upper and lower
quantiles keep the skew of demand (a sale can exceed the forecast far more than fall short).

Steps with too few errors to estimate a tail (the far horizon, measured from the oldest origins
only) extrapolate from the last well-measured step as the square root of the steps ahead, the
way a random walk's spread grows. A segment too small to measure even the first step pools the
errors of all steps, each divided by the square root of its step; with fewer still, the spread
is that of a random walk taking the segment's own scaled month-on-month changes. Intervals never
narrow as the horizon grows, and always contain the forecast.
"""

from __future__ import annotations

import numpy as np

MIN_ERRORS_PER_STEP = 40
"""Fewer errors than this cannot place a 2.5% tail: the step is extrapolated instead."""


def calibrate(
    scaled_errors: np.ndarray, levels: tuple[int, ...], horizon: int, scaled_changes: np.ndarray
) -> np.ndarray:
    """[level, side (lower, upper), step] error quantiles from scaled errors [s, o, h] (NaN: none);
    `scaled_changes` are the month-on-month changes of the segment's series, in the same scale."""
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
            quantiles[level_index] = _random_walk(scaled_errors, scaled_changes, tails, ahead)
        quantiles[level_index, 0] = np.minimum.accumulate(np.minimum(quantiles[level_index, 0], 0.0))
        quantiles[level_index, 1] = np.maximum.accumulate(np.maximum(quantiles[level_index, 1], 0.0))
    return quantiles


def _random_walk(
    scaled_errors: np.ndarray, scaled_changes: np.ndarray, tails: tuple[float, float], ahead: np.ndarray
) -> np.ndarray:
    """[side, step] quantiles growing with the square root of the step, from all steps' errors
    put on a one-step footing, or failing enough of those, from the month-on-month changes."""
    steps = np.broadcast_to(np.arange(1, scaled_errors.shape[-1] + 1), scaled_errors.shape)
    one_step = (scaled_errors / np.sqrt(steps))[np.isfinite(scaled_errors)]
    if one_step.size < MIN_ERRORS_PER_STEP:
        one_step = scaled_changes[np.isfinite(scaled_changes)]
    if not one_step.size:
        return np.zeros((2, ahead.size))
    low, high = np.quantile(one_step, tails[0], method="lower"), np.quantile(one_step, tails[1], method="higher")
    return np.array([low, high])[:, None] * np.sqrt(ahead)[None, :]


def bounds(point: np.ndarray, scale: np.ndarray, quantiles: np.ndarray) -> np.ndarray:
    """[level, side, s, h] interval bounds around point [s, h] for series scales [s]."""
    return point[None, None] + scale[None, None, :, None] * quantiles[:, :, None, :]


def coverage(actual: np.ndarray, low: np.ndarray, high: np.ndarray) -> float | None:
    """Share of the actual values (NaN: none) that fall inside [low, high]."""
    known = np.isfinite(actual)
    if not known.any():
        return None
    return float(((actual >= low) & (actual <= high))[known].mean())
