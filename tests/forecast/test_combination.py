"""Per-series model weights from rolling-origin errors, checked against hand-computed values."""

import numpy as np
import pytest

from sop.forecast.combination import best_model_weights, combine, error_weights, pool_weights

NAN = np.nan


def _pool(errors_by_model: list[list[float]], actual: float = 10.0) -> tuple[np.ndarray, np.ndarray]:
    """One series, one origin, len(errors) steps: model forecasts = actual + error."""
    rolling = np.array([[[[actual + error for error in errors]]] for errors in errors_by_model])
    return rolling, np.full(rolling.shape[1:], actual)


def test_weights_are_inverse_squared_mean_absolute_errors() -> None:
    # MAE 1 and 2: weights 1/1 and 1/4, normalized to 0.8 and 0.2.
    rolling, actual = _pool([[1.0, -1.0], [2.0, -2.0]])
    weights = error_weights(rolling, actual, [0], 2, np.ones((2, 1), bool))
    np.testing.assert_allclose(weights[:, 0], [0.8, 0.2])


def test_only_the_selection_steps_count() -> None:
    rolling, actual = _pool([[1.0, 100.0], [2.0, 0.0]])
    weights = error_weights(rolling, actual, [0], 1, np.ones((2, 1), bool))
    np.testing.assert_allclose(weights[:, 0], [0.8, 0.2])


def test_the_newer_origin_counts_twice_the_older() -> None:
    # One series, two origins (newest first), one step; A missed by 1 then 3, B by 3 then 1.
    actual = np.full((1, 2, 1), 10.0)
    rolling = np.array([[[[11.0], [13.0]]], [[[13.0], [11.0]]]])
    weights = error_weights(rolling, actual, [0, 1], 1, np.ones((2, 1), bool))
    # MAE (1 + 3 / 2) / 1.5 = 5/3 and (3 + 1 / 2) / 1.5 = 7/3: weights 9/25 and 9/49, normalized.
    np.testing.assert_allclose(weights[:, 0], [49 / 74, 25 / 74])


def test_a_model_that_cannot_forecast_or_failed_at_an_origin_gets_no_weight() -> None:
    rolling, actual = _pool([[1.0, 1.0], [2.0, 2.0], [NAN, NAN]])
    unusable = np.array([[True], [False], [True]])
    weights = error_weights(rolling, actual, [0], 2, unusable)
    np.testing.assert_allclose(weights[:, 0], [1.0, 0.0, 0.0])


def test_a_series_without_origins_weights_its_working_models_equally() -> None:
    rolling = np.full((3, 1, 1, 2), NAN)
    actual = np.full((1, 1, 2), NAN)
    weights = error_weights(rolling, actual, [0], 2, np.array([[True], [True], [False]]))
    np.testing.assert_allclose(weights[:, 0], [0.5, 0.5, 0.0])


def test_a_perfect_model_takes_almost_all_the_weight() -> None:
    rolling, actual = _pool([[0.0, 0.0], [1.0, 1.0]])
    weights = error_weights(rolling, actual, [0], 2, np.ones((2, 1), bool))
    assert weights[0, 0] == pytest.approx(1.0)


def test_combine_is_the_weighted_mean_and_ignores_unweighted_gaps() -> None:
    forecasts = np.array([[[10.0, 20.0]], [[NAN, NAN]], [[30.0, 40.0]]])
    weights = np.array([[0.25], [0.0], [0.75]])
    np.testing.assert_allclose(combine(forecasts, weights), [[25.0, 35.0]])


def test_where_a_weighted_model_has_no_forecast_the_others_share_its_weight() -> None:
    # Equal weights after every model failed somewhere: A has no forecast in the first month.
    forecasts = np.array([[[NAN, 20.0]], [[30.0, 40.0]]])
    weights = np.array([[0.5], [0.5]])
    np.testing.assert_allclose(combine(forecasts, weights), [[30.0, 30.0]])
    assert (combine(np.full((2, 1, 2), NAN), weights) == 0.0).all()


def _segment(errors_by_model: list[list[float]], actual: float = 10.0) -> tuple[np.ndarray, np.ndarray]:
    """Series s with one origin and one step: model m forecasts actual + errors_by_model[m][s]."""
    rolling = np.array([[[[actual + error]] for error in errors] for errors in errors_by_model])
    return rolling, np.full(rolling.shape[1:], actual)


def test_the_best_model_is_the_segments_even_where_another_wins_a_series() -> None:
    # Model A errs 1, 1 and 1; model B 0, 0 and 9: B wins two series, A the segment (3 against 9).
    rolling, actual = _segment([[1.0, 1.0, 1.0], [0.0, 0.0, 9.0]])
    weights = best_model_weights(rolling, actual, [0], np.ones((2, 3), bool))
    np.testing.assert_array_equal(weights, [[1.0, 1.0, 1.0], [0.0, 0.0, 0.0]])
    # Per series, the combination follows each series' own errors instead.
    assert error_weights(rolling, actual, [0], 1, np.ones((2, 3), bool))[1, 0] > 0.99


def test_a_series_whose_best_model_cannot_forecast_takes_the_next_best() -> None:
    rolling, actual = _segment([[3.0, 3.0], [1.0, 1.0], [2.0, 2.0]])
    usable = np.array([[True, True], [True, False], [True, True]])
    weights = best_model_weights(rolling, actual, [0], usable)
    np.testing.assert_array_equal(weights, [[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]])


def test_without_a_month_to_judge_by_the_working_models_share_the_weight() -> None:
    rolling = np.full((3, 2, 1, 2), NAN)
    actual = np.full((2, 1, 2), NAN)
    weights = best_model_weights(rolling, actual, [0], np.array([[True, True], [True, False], [False, False]]))
    np.testing.assert_allclose(weights, [[0.5, 1.0], [0.5, 0.0], [0.0, 0.0]])


def test_each_pool_method_has_its_weights() -> None:
    rolling, actual = _segment([[1.0, 1.0, 1.0], [0.0, 0.0, 9.0]])
    usable = np.ones((2, 3), bool)
    np.testing.assert_array_equal(
        pool_weights("best_model", rolling, actual, [0], 1, usable), best_model_weights(rolling, actual, [0], usable)
    )
    np.testing.assert_array_equal(
        pool_weights("combination", rolling, actual, [0], 1, usable), error_weights(rolling, actual, [0], 1, usable)
    )


def test_the_best_model_is_judged_on_every_month_after_the_origins() -> None:
    # One series, one origin, three months: A errs 0, 4, 4; B errs 1, 1, 1. The first month alone
    # (selection_steps = 1) would pick A; the horizon picks B.
    actual = np.full((1, 1, 3), 10.0)
    rolling = np.array([[[[10.0, 14.0, 14.0]]], [[[11.0, 11.0, 11.0]]]])
    weights = pool_weights("best_model", rolling, actual, [0], 1, np.ones((2, 1), bool))
    np.testing.assert_array_equal(weights, [[0.0], [1.0]])
