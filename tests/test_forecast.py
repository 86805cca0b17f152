"""The baseline forecast on small constructed series."""

from datetime import date

import numpy as np
import polars as pl
import pytest

from sop.config import ForecastConfig
from sop.forecast import DISCONTINUED, LAUNCH, SEASONAL, SHORT, _unknown_spread_bounds, forecast_baseline, zero_filled
from sop.months import add_months, month_range

PLAN_MONTH = date(2026, 11, 1)
CONFIG = ForecastConfig(horizon_months=12)
BOUNDS = ["forecast_lo_80", "forecast_hi_80", "forecast_lo_95", "forecast_hi_95"]


def _series(sku: str, units: list[float], region: str = "North") -> pl.DataFrame:
    """`units` for the months up to M-1, without the zero months (as extracts have them)."""
    months = month_range(add_months(PLAN_MONTH, -len(units)), len(units))
    frame = pl.DataFrame({"sku": sku, "region": region, "month": months, "units": [float(unit) for unit in units]})
    return frame.filter(pl.col("units") > 0)


def _seasonal_units(months: int = 48) -> list[float]:
    """Level 100 with a yearly sine of amplitude 40; t = 0 is M-48 (November), so it peaks in December."""
    return [100 + 40 * np.sin(2 * np.pi * (t + 2) / 12) for t in range(months)]


def _noisy_seasonal_units() -> list[float]:
    """The same season with seeded normal noise (sd 2): a perfect fit would give zero-width intervals."""
    return list(np.array(_seasonal_units()) + np.random.default_rng(7).normal(0.0, 2.0, 48))


@pytest.fixture(scope="module")
def mixed() -> pl.DataFrame:
    history = pl.concat(
        [
            _series("SEASONAL", _seasonal_units()),
            _series("NOISY", _noisy_seasonal_units()),
            _series("SHORT", [5, 7, 6, 8, 7, 6, 9, 8, 7, 6]),
            _series("LAUNCH", [4, 6]),
            _series("FIRST", [3]),
            _series("GONE", [50.0] * 30 + [0.0] * 8),
        ]
    )
    return forecast_baseline(history, PLAN_MONTH, CONFIG)


def test_every_series_gets_every_month_of_the_horizon(mixed: pl.DataFrame) -> None:
    assert mixed.schema == pl.Schema(
        {
            "sku": pl.String,
            "region": pl.String,
            "month": pl.Date,
            "forecast_units": pl.Float64,
            "forecast_lo_80": pl.Float64,
            "forecast_hi_80": pl.Float64,
            "forecast_lo_95": pl.Float64,
            "forecast_hi_95": pl.Float64,
            "model": pl.String,
            "demand_pattern": pl.String,
        }
    )
    assert mixed.height == 6 * 12
    for _, rows in mixed.group_by("sku"):
        assert rows["month"].to_list() == month_range(PLAN_MONTH, 12)
    assert mixed.equals(mixed.sort("sku", "region", "month"))


def test_the_horizon_follows_the_config() -> None:
    history = pl.concat([_series("SHORT", [5, 7, 6, 8, 7, 6, 9, 8, 7, 6]), _series("FIRST", [3])])
    assert forecast_baseline(history, PLAN_MONTH)["month"].unique().sort().to_list() == month_range(PLAN_MONTH, 18)
    three = forecast_baseline(history, PLAN_MONTH, ForecastConfig(horizon_months=3))
    assert three.height == 2 * 3
    assert three["month"].unique().sort().to_list() == month_range(PLAN_MONTH, 3)


def test_each_series_gets_the_model_its_history_supports(mixed: pl.DataFrame) -> None:
    models = dict(mixed.select("sku", "model").unique().iter_rows())
    assert models == {
        "SEASONAL": SEASONAL,
        "NOISY": SEASONAL,
        "SHORT": SHORT,
        "LAUNCH": LAUNCH,
        "FIRST": LAUNCH,
        "GONE": DISCONTINUED,
    }


def test_the_seasonal_model_reproduces_a_known_season(mixed: pl.DataFrame) -> None:
    seasonal = mixed.filter(pl.col("sku") == "SEASONAL")
    expected = np.array(_seasonal_units(60)[48:])
    # Noise-free: within 2 units of 100 +/- 40 in every month, so the December peak stays a peak.
    np.testing.assert_allclose(seasonal["forecast_units"].to_numpy(), expected, atol=2.0)
    assert seasonal["month"][int(seasonal["forecast_units"].arg_max())] == date(2026, 12, 1)


def test_a_noisy_season_gets_its_peak_and_intervals_that_widen_with_the_level(mixed: pl.DataFrame) -> None:
    noisy = mixed.filter(pl.col("sku") == "NOISY")
    expected = np.array(_seasonal_units(60)[48:])
    # Noise of sd 2 on 100 +/- 40: within 5 units (2.5 sd) of the noise-free season.
    np.testing.assert_allclose(noisy["forecast_units"].to_numpy(), expected, atol=5.0)
    assert noisy["month"][int(noisy["forecast_units"].arg_max())] == date(2026, 12, 1)
    width_80 = noisy["forecast_hi_80"] - noisy["forecast_lo_80"]
    width_95 = noisy["forecast_hi_95"] - noisy["forecast_lo_95"]
    assert (width_80 > 1.0).all()
    assert (width_95 > width_80).all()


def test_bounds_are_ordered_never_negative_and_never_missing(mixed: pl.DataFrame) -> None:
    numbers = mixed.select(pl.col(pl.Float64))
    assert numbers.null_count().sum_horizontal().item() == 0
    assert not any(numbers.select(pl.all().is_nan().any()).row(0))
    assert min(numbers.min().row(0)) >= 0
    ordered = mixed.select(
        (pl.col("forecast_lo_95") <= pl.col("forecast_lo_80"))
        & (pl.col("forecast_lo_80") <= pl.col("forecast_units"))
        & (pl.col("forecast_units") <= pl.col("forecast_hi_80"))
        & (pl.col("forecast_hi_80") <= pl.col("forecast_hi_95"))
    )
    assert ordered.to_series().all()


def test_a_launch_shows_its_uncertainty(mixed: pl.DataFrame) -> None:
    launch = mixed.filter(pl.col("sku") == "LAUNCH")
    assert launch["forecast_units"].to_list() == pytest.approx([5.0] * 12)
    assert launch["forecast_lo_80"].max() == 0
    assert launch["forecast_hi_80"].min() >= 10
    first = mixed.filter(pl.col("sku") == "FIRST")
    assert first.select("forecast_units", *BOUNDS).unique().rows() == [(3.0, 0.0, 6.0, 0.0, 6.0)]


def test_a_bound_the_model_left_nan_gets_the_launch_rule() -> None:
    rows = pl.DataFrame(
        {
            "model": [SHORT, SHORT],
            "forecast_units": [10.0, 10.0],
            "forecast_lo_80": [float("nan"), 8.0],
            "forecast_hi_80": [float("nan"), 12.0],
            "forecast_lo_95": [float("nan"), 7.0],
            "forecast_hi_95": [float("nan"), 13.0],
        }
    )
    filled = rows.with_columns(_unknown_spread_bounds(CONFIG)).select(BOUNDS).rows()
    assert filled == [(0.0, 20.0, 0.0, 20.0), (8.0, 12.0, 7.0, 13.0)]


def test_a_discontinued_item_forecasts_zero(mixed: pl.DataFrame) -> None:
    gone = mixed.filter(pl.col("sku") == "GONE")
    assert gone.select(pl.col(pl.Float64)).max().row(0) == (0.0,) * 5


def test_months_without_a_row_are_zero_sales() -> None:
    with_gaps = _series("GAPS", [10.0, 0.0, 10.0, 0.0, 10.0, 0.0, 10.0, 0.0, 10.0, 10.0])
    filled = zero_filled(with_gaps, PLAN_MONTH)
    assert filled["units"].to_list() == [10.0, 0.0, 10.0, 0.0, 10.0, 0.0, 10.0, 0.0, 10.0, 10.0]
    full = _series("FULL", [10.0] * 10)
    forecast = forecast_baseline(pl.concat([with_gaps, full]), PLAN_MONTH, CONFIG)
    by_sku = dict(forecast.group_by("sku").agg(pl.col("forecast_units").mean()).iter_rows())
    assert by_sku["GAPS"] < by_sku["FULL"]


def test_the_same_history_gives_the_same_forecast(mixed: pl.DataFrame) -> None:
    history = pl.concat([_series("SEASONAL", _seasonal_units()), _series("SHORT", [5, 7, 6, 8, 7, 6, 9, 8, 7, 6])])
    first = forecast_baseline(history, PLAN_MONTH, CONFIG)
    assert first.equals(forecast_baseline(history, PLAN_MONTH, CONFIG))
    assert first.filter(pl.col("sku") == "SHORT").equals(mixed.filter(pl.col("sku") == "SHORT"))
