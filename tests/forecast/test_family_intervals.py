"""Family intervals: the family totals from the rolling origins, and intervals that hold where sku
errors move together."""

from datetime import date

import numpy as np
import polars as pl
import pytest

from sop.core.config import ForecastConfig
from sop.core.months import add_months, month_range
from sop.forecast.backtest import family_backtest
from sop.forecast.family_intervals import Families, OriginForecasts
from sop.forecast.intervals import bounds, calibrate
from sop.forecast.segments import KEYS

PLAN_MONTH = date(2026, 11, 1)
Z_80, Z_95 = 1.2815515655446004, 1.959963984540054


def _history(units: dict[tuple[str, str], np.ndarray]) -> pl.DataFrame:
    """Zero-filled rows (as `segments.zero_filled` makes them) of series keyed (sku, family), each
    ending at M-1."""
    frames = [
        pl.DataFrame(
            {
                "sku": sku,
                "region": "North",
                "product_family": family,
                "month": month_range(add_months(PLAN_MONTH, -len(values)), len(values)),
                "units": values.astype(float),
            }
        )
        for (sku, family), values in units.items()
    ]
    return pl.concat(frames).sort(*KEYS, "month")


def test_a_familys_origin_forecast_sums_its_series_and_fills_in_those_without_a_pools() -> None:
    config = ForecastConfig(horizon_months=3, origin_count=1, origin_step_months=3, selection_steps=3)
    history = _history(
        {
            ("POOLED", "Tools"): np.full(36, 10.0),
            ("STEADY", "Tools"): np.full(36, 4.0),  # no pool forecast: its level from before the origin
            ("LAUNCH", "Tools"): np.array([5.0, 5.0]),  # launched after the origin: forecast nothing
            ("SHORT", "Garden"): np.full(36, 20.0),  # a pool that could not forecast it from there
        }
    )
    families = Families.of(history, PLAN_MONTH, config)
    origins = [
        OriginForecasts(pl.DataFrame({"sku": ["POOLED"], "region": ["North"]}), np.full((1, 1, 3), 12.0)),
        OriginForecasts(pl.DataFrame({"sku": ["SHORT"], "region": ["North"]}), np.full((1, 1, 3), np.nan)),
    ]
    runs = families.runs(origins)
    assert families.totals.families == ["Garden", "Tools"]
    np.testing.assert_allclose(runs.forecast[:, 0], [[20.0] * 3, [16.0] * 3])
    # The launch is in the family's actual: an error of the family forecast, as the meeting sees it.
    np.testing.assert_allclose(runs.actual[:, 0], [[20.0] * 3, [14.0, 19.0, 19.0]])
    np.testing.assert_allclose(runs.scale[:, 0], [20.0, 14.0])


def _correlated_company(seed: int, families: int, skus: int, months: int) -> tuple[pl.DataFrame, np.ndarray]:
    """Seasonal series whose monthly noise (a tenth of their level, whatever the season) is half a shock
    common to the family, half their own; and
    [s, months] each series' expected units (level times season), in key order."""
    rng = np.random.default_rng(seed)
    season = 1 + 0.3 * np.sin(2 * np.pi * np.arange(months) / 12)
    units, expected = {}, {}
    for family in range(families):
        common = rng.normal(0.0, 0.1, months)
        for sku in range(skus):
            level = rng.uniform(20.0, 200.0)
            key = (f"F{family:02d}-S{sku}", f"F{family:02d}")
            units[key] = level * (season + common + rng.normal(0.0, 0.1, months))
            expected[key] = level * season
    history = _history(units)
    order = history.select("sku").unique(maintain_order=True)["sku"].to_list()
    by_sku = {sku: values for (sku, _), values in expected.items()}
    return history, np.stack([by_sku[sku] for sku in order])


def _from_each_origin(expected: np.ndarray, backs: tuple[int, ...], horizon: int) -> np.ndarray:
    """[s, o, h] the expected units after each origin: a forecast that knows the mean, so every
    error is noise."""
    months = expected.shape[1]
    return np.stack([expected[:, months - back : months - back + horizon] for back in backs], axis=1)


def test_with_correlated_sku_errors_independence_fails_and_the_family_intervals_hold() -> None:
    # 40 families of 8 skus; the newest origin is scored, the three before it calibrate.
    config = ForecastConfig(horizon_months=6, origin_count=4, origin_step_months=6, selection_steps=6)
    history, expected = _correlated_company(seed=7, families=40, skus=8, months=60)
    families = Families.of(history, PLAN_MONTH, config)
    forecast = _from_each_origin(expected, config.origin_backs, config.horizon_months)
    runs = families.runs([OriginForecasts(families.members.keys, forecast)])

    changes = families.totals.scaled_changes(config.season_length)
    family = family_backtest(runs, changes, config).row(0, named=True)

    # The independence formula: each series' own calibrated interval, its half-width read as a
    # standard deviation, variances added over the family.
    members = families.members
    actual = np.stack([members.after(back, config.horizon_months) for back in config.origin_backs], axis=1)
    scales = np.stack([members.scale(config.season_length, back) for back in config.origin_backs], axis=1)
    errors = (actual - forecast) / scales[:, :, None]
    quantiles = calibrate(errors[:, 1:], config.levels, config.horizon_months, np.zeros(0))
    series_bounds = bounds(forecast[:, 0], scales[:, 0], quantiles)
    independent = {}
    for index, (level, z) in enumerate(zip(config.levels, (Z_80, Z_95), strict=True)):
        deviation = (series_bounds[index, 1] - series_bounds[index, 0]) / (2 * z)
        variance = np.zeros_like(runs.forecast[:, 0])
        np.add.at(variance, families.member_family, deviation**2)
        low, high = runs.forecast[:, 0] - z * np.sqrt(variance), runs.forecast[:, 0] + z * np.sqrt(variance)
        independent[level] = ((runs.actual[:, 0] >= low) & (runs.actual[:, 0] <= high)).mean()

    assert family["level"] == "family" and family["series"] == 40 and family["observations"] == 240
    assert independent[80] < 0.6 and independent[95] < 0.8
    assert family["coverage_80"] == pytest.approx(0.8, abs=0.07)
    assert family["coverage_95"] == pytest.approx(0.95, abs=0.04)
