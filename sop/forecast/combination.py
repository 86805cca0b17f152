"""Weights of a pool's models, series by series, from their errors at the rolling origins.

Each series weights its models by 1 / MAE², the mean absolute error over the first
`selection_steps` months after every origin (Bates and Granger's inverse-error weighting, with
absolute errors, which outliers sway less than squared ones). On M1 and Tourism monthly this
beat picking each series' best model, the mean of its best three, 1 / MAE weights and the plain
mean of the pool (`bench/forecast_competitions.py`). Short selection steps from recent origins
did best: the latest months say most about which model suits a series now.

A model that failed at an origin, or for the forecast being combined, gets no weight; a series
with no usable origin (too short) weights its working models equally.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np

MAE_FLOOR = 1e-9
"""A model with no error at all takes all but a sliver of the weight, without dividing by zero."""


def error_weights(
    rolling: np.ndarray, actual: np.ndarray, origins: Sequence[int], selection_steps: int, usable: np.ndarray
) -> np.ndarray:
    """[m, s] weights summing to 1 per series (0 where no model is usable).

    rolling [m, s, o, h] and actual [s, o, h] as in `PoolForecasts`; `origins` are the origin
    indices to learn from; usable [m, s] marks the models whose forecast is to be combined.
    """
    picked = list(origins)
    errors = rolling[:, :, picked, :selection_steps] - actual[None, :, picked, :selection_steps]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a series without origins has an all-NaN slice
        mae = np.nanmean(np.abs(errors), axis=(2, 3))
        # A model that failed at some origin the others were scored on has not earned its weight.
        complete = ~np.isnan(errors).all(axis=3) | np.isnan(actual[None, :, picked, 0])
    measured = np.isfinite(mae) & complete.all(axis=2) & usable
    inverse = np.where(measured, 1.0 / np.maximum(np.nan_to_num(mae), MAE_FLOOR) ** 2, 0.0)
    equal = usable.astype(float)
    raw = np.where(inverse.sum(axis=0) > 0, inverse, equal)
    total = raw.sum(axis=0)
    return raw / np.where(total > 0, total, 1.0)


def combine(forecasts: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """The weighted mean over the model axis: forecasts [m, s, ...] and weights [m, s] -> [s, ...]."""
    expanded = weights.reshape(weights.shape + (1,) * (forecasts.ndim - 2))
    return (np.nan_to_num(forecasts) * expanded).sum(axis=0)
