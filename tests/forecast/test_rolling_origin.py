"""Rolling-origin forecasts: one contract for every model, alignment of origins and actuals, failures."""

import numpy as np
import pytest

from sop.forecast.model_pool import MODELS, build
from sop.forecast.rolling_origin import PoolSpec, forecast_pool

SEASON, HORIZON, BACKS = 12, 6, (3, 6)


def _seasonal(months: int, seed: int = 1) -> np.ndarray:
    noise = np.random.default_rng(seed).normal(0.0, 2.0, months)
    return 100 + 30 * np.sin(2 * np.pi * np.arange(months) / SEASON) + noise


@pytest.mark.parametrize("name", sorted(MODELS))
def test_every_model_forecasts_the_horizon_from_the_end_and_from_each_origin(name: str) -> None:
    spec = PoolSpec((name,), SEASON, HORIZON, BACKS, min_train=2 * SEASON)
    pool = forecast_pool([_seasonal(48)], spec, n_jobs=1)
    assert pool.failures == 0
    assert pool.final.shape == (1, 1, HORIZON) and np.isfinite(pool.final).all()
    assert pool.rolling.shape == (1, 1, len(BACKS), HORIZON) and np.isfinite(pool.rolling).all()
    # A sensible level for a series around 100, whatever the model.
    assert 40 < pool.final.mean() < 160


def test_actuals_are_the_months_after_each_origin_and_nan_past_the_end() -> None:
    y = np.arange(40.0)
    pool = forecast_pool([y], PoolSpec(("Naive",), SEASON, HORIZON, BACKS, min_train=24), n_jobs=1)
    np.testing.assert_array_equal(pool.actual[0, 0], [37, 38, 39, np.nan, np.nan, np.nan])
    np.testing.assert_array_equal(pool.actual[0, 1], [34, 35, 36, 37, 38, 39])
    # Naive carries the month before each origin forward.
    np.testing.assert_array_equal(pool.rolling[0, 0, 0], np.full(HORIZON, 36.0))
    np.testing.assert_array_equal(pool.rolling[0, 0, 1], np.full(HORIZON, 33.0))
    np.testing.assert_array_equal(pool.final[0, 0], np.full(HORIZON, 39.0))


def test_an_origin_with_too_little_history_before_it_is_skipped() -> None:
    pool = forecast_pool([np.arange(28.0)], PoolSpec(("Naive",), SEASON, HORIZON, BACKS, min_train=24), n_jobs=1)
    assert np.isfinite(pool.rolling[0, 0, 0]).all()  # 25 months before it
    assert np.isnan(pool.rolling[0, 0, 1]).all() and np.isnan(pool.actual[0, 1]).all()  # 22 months


def test_the_earliest_origins_forecast_is_a_fit_there() -> None:
    y = _seasonal(60)
    pool = forecast_pool([y], PoolSpec(("DynamicTheta",), SEASON, HORIZON, BACKS, min_train=24), n_jobs=1)
    earliest = build("DynamicTheta", SEASON).forecast(y=y[: len(y) - BACKS[-1]], h=HORIZON)["mean"]
    np.testing.assert_allclose(pool.rolling[0, 0, -1], earliest)


def test_a_model_that_cannot_fit_a_series_is_left_out_and_counted() -> None:
    # CES needs more points than its parameters: two months are a "tiny dataset" to it.
    spec = PoolSpec(("Naive", "CES"), SEASON, HORIZON, BACKS, min_train=24)
    pool = forecast_pool([np.array([5.0, 7.0])], spec, n_jobs=1)
    assert pool.failures == 1
    np.testing.assert_array_equal(pool.final[0, 0], np.full(HORIZON, 7.0))
    assert np.isnan(pool.final[1, 0]).all()


def test_parallel_workers_give_the_same_numbers_as_one_process() -> None:
    series = [_seasonal(36 + index % 24, seed=index) for index in range(150)]
    spec = PoolSpec(("DynamicTheta", "SeasonalNaive"), SEASON, HORIZON, BACKS, min_train=24)
    alone, together = forecast_pool(series, spec, n_jobs=1), forecast_pool(series, spec, n_jobs=2)
    np.testing.assert_array_equal(alone.final, together.final)
    np.testing.assert_array_equal(alone.rolling, together.rolling)
    np.testing.assert_array_equal(alone.actual, together.actual)


def test_progress_is_told_as_chunks_finish_until_every_series_is_done() -> None:
    series = [_seasonal(36, seed=index) for index in range(150)]
    told: list[tuple[int, int]] = []
    forecast_pool(
        series, PoolSpec(("Naive",), SEASON, HORIZON, BACKS, min_train=24), 2, lambda *args: told.append(args)
    )
    assert told[-1] == (150, 150)
    assert [done for done, _ in told] == sorted(done for done, _ in told)
    assert len(told) == 3  # chunks of 64, 64 and 22


class _Exploding:
    """A model whose forward runs off to a thousand times the level, as CES's can."""

    def __init__(self, fits: list[int]) -> None:
        self.fits = fits

    def forecast(self, y: np.ndarray, h: int) -> dict[str, np.ndarray]:
        self.fits.append(len(y))
        return {"mean": np.full(h, y[-1])}

    def fit(self, y: np.ndarray) -> "_Exploding":
        self.fits.append(len(y))
        return self

    def predict(self, h: int) -> dict[str, np.ndarray]:
        return {"mean": np.full(h, 1.0)}

    def forward(self, y: np.ndarray, h: int) -> dict[str, np.ndarray]:
        return {"mean": np.full(h, 1000 * y.max())}


def test_a_forward_that_explodes_is_a_failure_and_its_final_fit_is_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    fits: list[int] = []
    monkeypatch.setitem(MODELS, "Exploding", lambda sf, season: _Exploding(fits))
    y = _seasonal(48)
    pool = forecast_pool([y], PoolSpec(("Exploding", "Naive"), SEASON, HORIZON, BACKS, min_train=24), n_jobs=1)
    assert pool.failures == 1  # its forward to the newer origin
    assert fits == [42]  # the earliest origin only: without weight, its forecast from the end is not needed
    np.testing.assert_array_equal(pool.rolling[0, 0, 1], np.full(HORIZON, 1.0))  # the fit's own predict
    assert np.isnan(pool.rolling[0, 0, 0]).all() and np.isnan(pool.final[0, 0]).all()
    np.testing.assert_array_equal(pool.final[1, 0], np.full(HORIZON, y[-1]))


def test_a_series_whose_every_model_failed_somewhere_still_gets_their_final_fits(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fits: list[int] = []
    monkeypatch.setitem(MODELS, "Exploding", lambda sf, season: _Exploding(fits))
    y = _seasonal(48)
    pool = forecast_pool([y], PoolSpec(("Exploding",), SEASON, HORIZON, BACKS, min_train=24), n_jobs=1)
    assert fits == [42, 48]
    np.testing.assert_array_equal(pool.final[0, 0], np.full(HORIZON, y[-1]))


class _RunsOff:
    """A model without forward whose fits run off from the end of a history longer than 40 months."""

    def forecast(self, y: np.ndarray, h: int) -> dict[str, np.ndarray]:
        return {"mean": np.full(h, np.inf if len(y) > 40 else y[-1])}


def test_a_fit_that_explodes_is_a_failure_and_the_model_sits_out_there(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(MODELS, "RunsOff", lambda sf, season: _RunsOff())
    y = _seasonal(48)
    pool = forecast_pool([y], PoolSpec(("RunsOff", "Naive"), SEASON, HORIZON, BACKS, min_train=24), n_jobs=1)
    assert pool.failures == 2  # from the end and from the origin 3 months before it
    assert np.isnan(pool.final[0, 0]).all() and np.isnan(pool.rolling[0, 0]).all()
    np.testing.assert_array_equal(pool.final[1, 0], np.full(HORIZON, y[-1]))


class _Mean:
    """Forecasts the mean of the history it is fitted to: the longer the history, the slower it follows a change."""

    def forecast(self, y: np.ndarray, h: int) -> dict[str, np.ndarray]:
        return {"mean": np.full(h, y.mean())}


LEVEL_SHIFT = np.concatenate([np.full(100, 10.0), np.full(140, 100.0)])
"""A level that changed 140 months ago: the latest 120 months know only the new one."""
PASSING_BLIP = np.concatenate([np.full(150, 100.0), np.full(60, 300.0), np.full(30, 100.0)])
"""A level that rose for five years and came back: the latest 120 months weigh the rise twice as much."""


@pytest.mark.parametrize(("y", "recent_wins"), [(LEVEL_SHIFT, True), (PASSING_BLIP, False)])
def test_a_long_series_is_forecast_from_whichever_of_its_whole_and_its_recent_history_did_better(
    monkeypatch: pytest.MonkeyPatch, y: np.ndarray, recent_wins: bool
) -> None:
    monkeypatch.setitem(MODELS, "Mean", lambda sf, season: _Mean())
    spec = PoolSpec(("Mean",), SEASON, HORIZON, BACKS, min_train=24, recent_months=120, selection_steps=HORIZON)
    pool = forecast_pool([y], spec, n_jobs=1)
    chosen = y[-120:] if recent_wins else y
    np.testing.assert_array_equal(pool.final[0, 0], np.full(HORIZON, chosen.mean()))
    np.testing.assert_array_equal(pool.rolling[0, 0, 1], np.full(HORIZON, chosen[: len(chosen) - BACKS[1]].mean()))


def test_a_series_no_longer_than_the_recent_history_is_forecast_once_from_all_of_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fits: list[int] = []
    monkeypatch.setitem(MODELS, "Exploding", lambda sf, season: _Exploding(fits))
    spec = PoolSpec(("Exploding", "Naive"), SEASON, HORIZON, BACKS, min_train=24, recent_months=48)
    forecast_pool([_seasonal(48)], spec, n_jobs=1)
    assert fits == [42]
    forecast_pool([_seasonal(49)], spec, n_jobs=1)
    assert fits == [42, 43, 42]  # from the earliest origin of the whole history, then of its latest 48 months


def test_a_model_that_needs_more_history_sits_shorter_series_out_without_a_fit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fits: list[int] = []
    monkeypatch.setitem(MODELS, "Exploding", lambda sf, season: _Exploding(fits))
    spec = PoolSpec(("Exploding", "Naive"), SEASON, HORIZON, BACKS, min_train=24, min_months={"Exploding": 49})
    short = forecast_pool([_seasonal(48)], spec, n_jobs=1)
    assert fits == [] and short.failures == 0
    assert np.isnan(short.final[0]).all() and np.isnan(short.rolling[0]).all()
    assert np.isfinite(short.final[1]).all()
    forecast_pool([_seasonal(49)], spec, n_jobs=1)
    assert fits == [43]
