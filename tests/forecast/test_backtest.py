"""The backtest's figures on a constructed pool, by hand."""

import numpy as np
import pytest

from sop.core.config import ForecastConfig
from sop.forecast.backtest import held_out_weights, pooled_backtest
from sop.forecast.combination import combine
from sop.forecast.rolling_origin import PoolForecasts

CONFIG = ForecastConfig(horizon_months=2, origin_count=2, origin_step_months=2, selection_steps=2)


def test_members_and_the_combination_are_scored_on_the_newest_origin() -> None:
    # Two series, two origins, two steps; actual 10 everywhere.
    actual = np.full((2, 2, 2), 10.0)
    rolling = np.stack(
        [
            np.full((2, 2, 2), 11.0),  # always 1 over
            np.full((2, 2, 2), 8.0),  # always 2 under
        ]
    )
    pool = PoolForecasts(("A", "B"), (2, 4), np.full((2, 2, 2), 10.0), rolling, actual, 0)
    held_out = held_out_weights("regular", pool, CONFIG)
    combined = combine(pool.rolling, held_out)
    backtest = pooled_backtest("regular", pool, combined, np.ones((2, 2)), np.zeros(0), CONFIG)
    rows = {row["method"]: row for row in backtest.iter_rows(named=True)}
    assert rows["A"]["wape"] == pytest.approx(0.1) and rows["A"]["bias"] == pytest.approx(0.1)
    assert rows["B"]["wape"] == pytest.approx(0.2) and rows["B"]["bias"] == pytest.approx(-0.2)
    # Learned on the older origin: weights 1/1 and 1/4, so 0.8 x 11 + 0.2 x 8 = 10.4.
    assert rows["Combination"]["wape"] == pytest.approx(0.04)
    assert rows["Combination"]["series"] == 2 and rows["Combination"]["observations"] == 4
    assert rows["A"]["method_wape"] == rows["B"]["method_wape"] == rows["Combination"]["method_wape"]
    assert rows["Combination"]["method_wape"] == rows["Combination"]["wape"]
    assert rows["A"]["coverage_80"] is None
    assert 0.0 <= rows["Combination"]["coverage_80"] <= 1.0


def test_a_member_without_a_forecast_is_scored_on_the_series_it_forecast() -> None:
    actual = np.full((2, 2, 2), 10.0)
    rolling = np.stack([np.full((2, 2, 2), 11.0), np.full((2, 2, 2), 8.0)])
    rolling[1, 0, 0] = np.nan  # B ran off on the first series at the newest origin
    pool = PoolForecasts(("A", "B"), (2, 4), np.full((2, 2, 2), 10.0), rolling, actual, 1)
    held_out = held_out_weights("regular", pool, CONFIG)
    combined = combine(pool.rolling, held_out)
    backtest = pooled_backtest("regular", pool, combined, np.ones((2, 2)), np.zeros(0), CONFIG)
    rows = {row["method"]: row for row in backtest.iter_rows(named=True)}
    assert rows["A"]["series"] == 2 and rows["B"]["series"] == 1
    assert rows["B"]["wape"] == pytest.approx(0.2)
    # The first series is A's alone (11); the second 0.8 x 11 + 0.2 x 8 = 10.4.
    assert rows["Combination"]["series"] == 2
    assert rows["Combination"]["wape"] == pytest.approx((2 * 1.0 + 2 * 0.4) / 40)
    # B compares with the Combination on the second series only: 0.4 a month there.
    assert rows["B"]["method_wape"] == pytest.approx(0.04)
    assert rows["A"]["method_wape"] == rows["Combination"]["wape"]
