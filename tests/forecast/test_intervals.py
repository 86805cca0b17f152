"""Calibrated intervals: error quantiles per step, extrapolation, and the fallback."""

import numpy as np
import pytest

from sop.forecast.intervals import MIN_ERRORS_PER_STEP, bounds, calibrate, coverage

NO_CHANGES = np.zeros(0)


def _errors(per_step: list[np.ndarray]) -> np.ndarray:
    """[series, 1 origin, steps] from one array of errors per step."""
    return np.stack(per_step, axis=1)[:, None, :]


def test_each_step_gets_the_quantiles_of_its_errors() -> None:
    errors = _errors([np.arange(-50.0, 51.0), 2 * np.arange(-50.0, 51.0)])  # 101 errors each
    quantiles = calibrate(errors, (80,), 2, NO_CHANGES)
    # 10% and 90% of -50..50 are -40 and 40 ('lower' and 'higher' keep the interval wide).
    np.testing.assert_allclose(quantiles[0, :, 0], [-40.0, 40.0])
    np.testing.assert_allclose(quantiles[0, :, 1], [-80.0, 80.0])


def test_skewed_errors_give_a_skewed_interval() -> None:
    errors = _errors([np.concatenate([np.full(50, -1.0), np.linspace(0.0, 20.0, 51)])])
    low, high = calibrate(errors, (80,), 1, NO_CHANGES)[0, :, 0]
    assert low == -1.0
    assert high > 10 * abs(low)


def test_far_steps_grow_like_a_random_walk_from_the_last_measured_one() -> None:
    measured = np.arange(-50.0, 51.0)
    sparse = np.full(101, np.nan)
    sparse[: MIN_ERRORS_PER_STEP - 1] = 0.0  # too few errors to place a tail
    quantiles = calibrate(_errors([measured, sparse]), (80,), 4, NO_CHANGES)
    np.testing.assert_allclose(quantiles[0, 1], 40.0 * np.sqrt([1, 2, 3, 4]))
    np.testing.assert_allclose(quantiles[0, 0], -40.0 * np.sqrt([1, 2, 3, 4]))


def test_intervals_never_narrow_with_the_horizon_and_contain_the_forecast() -> None:
    errors = _errors([np.linspace(-10, 10, 101), np.linspace(-2, 3, 101), np.linspace(1, 5, 101)])
    quantiles = calibrate(errors, (80, 95), 3, NO_CHANGES)
    assert (np.diff(quantiles[:, 1], axis=1) >= 0).all()
    assert (np.diff(quantiles[:, 0], axis=1) <= 0).all()
    assert (quantiles[:, 0] <= 0).all() and (quantiles[:, 1] >= 0).all()


def test_a_small_segment_pools_its_steps_on_a_one_step_footing() -> None:
    # 21 errors a step: too few to place a tail. Step 2's are sqrt(2) times step 1's, so on a
    # one-step footing (divided by sqrt(step)) the two steps pool into one sample.
    base = np.linspace(-10.0, 10.0, 21)
    errors = _errors([base, base * np.sqrt(2)])
    quantiles = calibrate(errors, (80,), 3, NO_CHANGES)
    high = np.quantile(base, 0.9, method="higher")
    np.testing.assert_allclose(quantiles[0, 1], high * np.sqrt([1, 2, 3]))


def test_with_almost_no_errors_the_interval_is_a_random_walk_of_the_series_own_changes() -> None:
    changes = np.linspace(-1.0, 1.0, 101)  # scaled month-on-month changes, 10% and 90%: -0.8, 0.8
    quantiles = calibrate(np.full((3, 1, 2), np.nan), (80,), 4, changes)
    np.testing.assert_allclose(quantiles[0, 1], 0.8 * np.sqrt([1, 2, 3, 4]))
    np.testing.assert_allclose(quantiles[0, 0], -0.8 * np.sqrt([1, 2, 3, 4]))
    assert not calibrate(np.full((3, 1, 2), np.nan), (80,), 2, NO_CHANGES).any()


def test_bounds_scale_the_quantiles_per_series_and_coverage_counts_hits() -> None:
    quantiles = np.array([[[-1.0, -2.0], [1.0, 2.0]]])  # one level, steps 1 and 2
    intervals = bounds(np.array([[10.0, 10.0], [100.0, 100.0]]), np.array([1.0, 10.0]), quantiles)
    np.testing.assert_allclose(intervals[0, 0], [[9.0, 8.0], [90.0, 80.0]])
    np.testing.assert_allclose(intervals[0, 1], [[11.0, 12.0], [110.0, 120.0]])
    actual = np.array([[10.5, 13.0], [np.nan, 85.0]])
    assert coverage(actual, intervals[0, 0], intervals[0, 1]) == pytest.approx(2 / 3)
    assert coverage(np.full((1, 2), np.nan), intervals[0, 0][:1], intervals[0, 1][:1]) is None
