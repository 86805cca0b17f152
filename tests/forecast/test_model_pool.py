"""The pool's own model classes: the same numbers as the statsforecast models they stand for."""

from typing import get_args

import numpy as np
import pytest
from statsforecast import models as sf

from sop.core.config import ModelName
from sop.forecast.model_pool import MODELS, Drift, OnBoxCoxScale, _BoxCox, build
from sop.forecast.seasonal_adjustment import SEASONAL_TEST_QUANTILE, _stl_seasonal, classical_adjustment, stl_adjustment

SEASON, HORIZON = 12, 18


def _demand(months: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    season = 1 + 0.4 * np.sin(2 * np.pi * np.arange(months) / SEASON)
    return np.round(rng.gamma(20.0, 2.0, months) * season * np.linspace(1.0, 1.5, months))


@pytest.mark.parametrize("seed", range(5))
def test_seasonally_adjusted_ets_is_statsforecast_mstl_with_ets_to_the_last_digit(seed: int) -> None:
    y = _demand(48, seed)
    ours = build("MSTL-ETS", SEASON)
    theirs = sf.MSTL(season_length=SEASON, trend_forecaster=sf.AutoETS(model="ANN"))
    np.testing.assert_array_equal(ours.forecast(y=y, h=HORIZON)["mean"], theirs.forecast(y=y, h=HORIZON)["mean"])
    ours.fit(y=y[:30])
    theirs.fit(y=y[:30])
    np.testing.assert_array_equal(
        ours.forward(y=y[:42], h=HORIZON)["mean"], theirs.forward(y=y[:42], h=HORIZON)["mean"]
    )


def test_seasonally_adjusted_ets_gives_statsforecast_mstls_one_step_forecasts_over_the_history() -> None:
    # A model on a Box-Cox scale measures its spread with them.
    y = _demand(48, 0)
    theirs = sf.MSTL(season_length=SEASON, trend_forecaster=sf.AutoETS(model="ANN"))
    expected = theirs.forecast(y=y, h=HORIZON, fitted=True)["fitted"]
    np.testing.assert_allclose(build("MSTL-ETS", SEASON).forecast(y=y, h=HORIZON, fitted=True)["fitted"], expected)
    np.testing.assert_allclose(build("MSTL-ETS", SEASON).fit(y=y).predict_in_sample()["fitted"], expected)


def test_a_box_cox_scale_is_chosen_between_the_logarithm_and_demand_as_it_is() -> None:
    months = np.arange(96)
    noise = np.random.default_rng(8).normal(0.0, 0.05, months.size)
    # A season whose swing grows with the level asks for a scale near the logarithm; a constant swing, none.
    proportional = 50 * np.exp(0.02 * months) * (1 + 0.5 * np.sin(2 * np.pi * months / SEASON) + noise)
    constant = 100 + 10 * months + 40 * np.sin(2 * np.pi * months / SEASON) + 40 * noise
    assert _BoxCox.of(proportional, SEASON).lam < 0.3
    assert _BoxCox.of(constant, SEASON).lam > 0.7
    assert _BoxCox.of(constant, None).lam == 0


def test_a_model_on_a_box_cox_scale_forecasts_above_the_plain_back_transform() -> None:
    # The back-transformed forecast is demand's median on the scale; its mean lies above it.
    y = _demand(60, 4)
    model = build("MSTL-ETS-BoxCox", SEASON).fit(y=y)
    assert 0 < model.scale.lam < 1 and model.variance > 0
    plain = _BoxCox(model.scale.lam).units(model.model.predict(h=HORIZON)["mean"], 0.0, model.z)["mean"]
    corrected = model.predict(h=HORIZON)["mean"]
    assert (corrected > plain).all() and (corrected < plain * 1.05).all()


def test_the_drift_is_statsforecasts_random_walk_with_drift_and_keeps_its_drift_forward() -> None:
    y = _demand(48, 5)
    theirs = sf.RandomWalkWithDrift().forecast(y=y, h=HORIZON, fitted=True)
    ours = Drift().forecast(y=y, h=HORIZON, fitted=True)
    np.testing.assert_allclose(ours["mean"], theirs["mean"], rtol=1e-12)
    np.testing.assert_allclose(ours["fitted"], theirs["fitted"], rtol=1e-12)
    fitted = Drift().fit(y=y[:36])
    steps = np.arange(1, HORIZON + 1)
    np.testing.assert_allclose(fitted.forward(y=y, h=HORIZON)["mean"], y[-1] + (y[35] - y[0]) / 35 * steps)


def test_the_two_box_cox_members_share_their_scale_and_season_for_the_same_history() -> None:
    # Remembered between them (STL is most of their cost); a shared season must not be writable.
    y = _demand(48, 6)
    ets, drift = build("MSTL-ETS-BoxCox", SEASON).fit(y=y), build("MSTL-Drift-BoxCox", SEASON).fit(y=y)
    assert ets.scale == drift.scale
    assert ets.model.season.last.base is drift.model.season.last.base
    assert not ets.model.season.last.flags.writeable
    np.testing.assert_array_equal(stl_adjustment(y, SEASON)[0], y - _stl_seasonal(y.tobytes(), SEASON))


def test_a_box_cox_forecast_that_runs_off_downwards_is_infinite_in_units() -> None:
    scale, z = _BoxCox(0.5), _BoxCox(0.5).forward(_demand(48, 0))
    assert np.isinf(scale.units(np.array([-1e6, -2.1]), 0.01, z)["mean"]).all()  # below -1 / lambda: no units at all
    assert np.isinf(scale.units(np.array([z.min() - 40.0]), 0.01, z)["mean"]).all()  # a tenth of the smallest


def test_a_model_on_the_log_scale_forecasts_the_mean_of_demand_not_its_median() -> None:
    # Demand whose logarithm is a steady level plus noise: its mean is the median times exp(sigma^2 / 2).
    sigma, months = 0.5, 120
    log_level = np.log(200.0)
    y = np.expm1(log_level + np.random.default_rng(3).normal(0.0, sigma, months))
    forecast = build("CES-log", SEASON).forecast(y=y, h=HORIZON)["mean"]
    median = np.exp(log_level) - 1
    mean = np.exp(log_level + sigma**2 / 2) - 1
    assert abs(forecast.mean() / mean - 1) < 0.1
    assert forecast.mean() > median * 1.08


def test_a_model_on_the_log_scale_runs_forward_as_it_forecasts() -> None:
    y = _demand(48, 0)
    fitted = OnBoxCoxScale(sf.AutoCES(season_length=SEASON, model="F")).fit(y=y)
    np.testing.assert_allclose(
        fitted.forward(y=y, h=HORIZON)["mean"], build("CES-log", SEASON).forecast(y=y, h=HORIZON)["mean"]
    )


def test_months_without_sales_stay_finite_on_the_log_scale() -> None:
    y = _demand(48, 1)
    y[::5] = 0.0
    forecast = build("CES-log", SEASON).forecast(y=y, h=HORIZON)["mean"]
    assert np.isfinite(forecast).all() and (forecast > 0).all()


class _RunsOffDownwards:
    def forecast(self, y: np.ndarray, h: int, fitted: bool = False) -> dict[str, np.ndarray]:
        return {"mean": np.full(h, -1e6), "fitted": y.copy()}


def test_a_log_forecast_that_runs_off_downwards_is_infinite_in_units_not_minus_one() -> None:
    forecast = OnBoxCoxScale(_RunsOffDownwards()).forecast(y=_demand(48, 0), h=HORIZON)["mean"]
    assert np.isinf(forecast).all()


@pytest.mark.parametrize("name", sorted(MODELS))
def test_a_model_that_runs_forward_also_predicts_from_its_fit(name: str) -> None:
    # The rolling origins call both on any model with `forward`; one without `predict` would fail every origin.
    model = build(name, SEASON)
    assert hasattr(model, "predict") or not hasattr(model, "forward")


@pytest.mark.parametrize(
    "name",
    [
        "DynamicOptimizedTheta",
        "DynamicTheta",
        "CES-log",
        "MSTL-ETS",
        "MSTL-ETS-BoxCox",
        "MSTL-Drift-BoxCox",
        "SeasonalNaive",
    ],
)
def test_a_fit_predicts_what_its_forward_and_a_forecast_over_its_own_history_give(name: str) -> None:
    # The rolling origins take the earliest origin's forecast from its fit's `predict`.
    y = _demand(36, 1)
    fitted = build(name, SEASON).fit(y=y)
    predicted = fitted.predict(h=HORIZON)["mean"]
    np.testing.assert_array_equal(predicted, fitted.forward(y=y, h=HORIZON)["mean"])
    np.testing.assert_allclose(predicted, build(name, SEASON).forecast(y=y, h=HORIZON)["mean"], rtol=1e-12)


SEASON_WITH_A_DEAD_MONTH = np.array([0.0, 80, 120, 150, 100, 90, 60, 40, 30, 20, 10, 50])
THETA_HISTORIES = {
    "positive, multiplicative season": _demand(48, 2),
    "months without sales, additive season": np.tile(SEASON_WITH_A_DEAD_MONTH, 5)
    * np.random.default_rng(3).uniform(0.8, 1.2, 60),
    "a month near zero, additive season": np.tile(SEASON_WITH_A_DEAD_MONTH, 4)
    + np.random.default_rng(7).uniform(0.1, 0.3, 48),
    "no season": np.random.default_rng(4).gamma(20.0, 2.0, 48),
    "shorter than two seasons": _demand(20, 5),
    "flat": np.full(36, 5.0),
    "long": _demand(120, 6),
}


@pytest.mark.parametrize("name", ["DynamicOptimizedTheta", "DynamicTheta"])
@pytest.mark.parametrize("history", sorted(THETA_HISTORIES))
@pytest.mark.filterwarnings("ignore:invalid value:RuntimeWarning")  # statsmodels' autocorrelation of the flat one
def test_seasonally_adjusted_theta_is_statsforecasts_theta_to_the_last_digit(name: str, history: str) -> None:
    y = THETA_HISTORIES[history]
    ours, theirs = build(name, SEASON), getattr(sf, name)(season_length=SEASON)
    np.testing.assert_array_equal(ours.forecast(y=y, h=HORIZON)["mean"], theirs.forecast(y=y, h=HORIZON)["mean"])
    ours.fit(y=y[:-6])
    theirs.fit(y=y[:-6])
    np.testing.assert_array_equal(ours.predict(h=HORIZON)["mean"], theirs.predict(h=HORIZON)["mean"])
    np.testing.assert_array_equal(ours.forward(y=y, h=HORIZON)["mean"], theirs.forward(y=y, h=HORIZON)["mean"])


@pytest.mark.parametrize("name", ["DynamicOptimizedTheta", "DynamicTheta"])
@pytest.mark.parametrize("season", [5, 7])
def test_seasonally_adjusted_theta_matches_statsforecast_for_an_odd_season_too(name: str, season: int) -> None:
    # An odd season takes a plain moving average as its trend, an even one a window with half-weight ends.
    months = np.arange(10 * season)
    y = 50 + 20 * np.sin(2 * np.pi * months / season) + np.random.default_rng(season).normal(0.0, 2.0, months.size)
    assert classical_adjustment(y, season)[1] is not None  # the season is found, so the odd window is used
    ours, theirs = build(name, season), getattr(sf, name)(season_length=season)
    np.testing.assert_array_equal(ours.forecast(y=y, h=HORIZON)["mean"], theirs.forecast(y=y, h=HORIZON)["mean"])


def test_the_seasonal_test_uses_statsforecasts_quantile() -> None:
    from scipy.stats import norm

    assert norm.ppf(0.95) == SEASONAL_TEST_QUANTILE


def test_the_settings_know_every_model_and_only_those() -> None:
    assert set(get_args(ModelName)) == set(MODELS)
