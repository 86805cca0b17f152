"""New items borrow their family's seasonal profile: the profile, the level and the forecast by hand."""

from datetime import date

import numpy as np
import polars as pl
import pytest

from sop.core.months import add_months, month_range
from sop.forecast.new_items import INDEX_FLOOR, family_profiles, index_table, profile_forecast, profile_level
from sop.forecast.series_arrays import SeriesArrays

PLAN_MONTH = date(2026, 11, 1)
SEASON = [0.5, 0.5, 1.0, 1.0, 1.5, 1.5, 1.5, 1.5, 1.0, 1.0, 0.5, 0.5]  # January..December, mean 1


def _family(name: str, months: int, level: float = 100.0) -> pl.DataFrame:
    calendar = month_range(add_months(PLAN_MONTH, -months), months)
    return pl.DataFrame(
        {
            "sku": f"{name}-1",
            "region": "North",
            "product_family": name,
            "month": calendar,
            "units": [level * SEASON[month.month - 1] for month in calendar],
        }
    )


def test_a_family_profile_recovers_a_stable_season() -> None:
    profiles = family_profiles(_family("Garden", 48), 12)
    np.testing.assert_allclose(profiles["seasonal_index"].to_numpy(), SEASON, rtol=1e-9)
    assert profiles["calendar_month"].to_list() == list(range(1, 13))


def test_a_family_without_two_seasons_has_no_profile_and_its_items_no_season() -> None:
    profiles = family_profiles(_family("Young", 20), 12)
    assert profiles.is_empty()
    np.testing.assert_array_equal(index_table(["Young"], profiles, 12), np.ones((1, 12)))


def test_the_level_is_the_mean_of_the_latest_months_with_the_season_divided_out() -> None:
    # 30 units in a 0.5 month and 150 in a 1.5 month are both a level of 60 and 100.
    level = profile_level(np.array([[30.0, 150.0, np.nan]]), np.array([[0.5, 1.5, 1.0]]))
    np.testing.assert_allclose(level, [80.0])
    # A month the family hardly sells in is floored before dividing.
    np.testing.assert_allclose(profile_level(np.array([[1.0]]), np.array([[0.0]])), [1.0 / INDEX_FLOOR])


def test_a_launch_is_its_level_times_the_family_season_ahead() -> None:
    family = _family("Garden", 48)
    launch = pl.DataFrame(
        {"sku": "NEW", "region": "North", "product_family": "Garden", "month": month_range(date(2026, 8, 1), 3)}
    ).with_columns(pl.Series("units", [15.0, 15.0, 10.0]))
    index = index_table(["Garden"], family_profiles(family, 12), 12)
    forecast, level = profile_forecast(SeriesArrays.of(launch, launch.select("sku", "region")), index, PLAN_MONTH, 0, 4)
    assert level[0] == pytest.approx((15 / 1.5 + 15 / 1.0 + 10 / 1.0) / 3)
    np.testing.assert_allclose(forecast[0], level[0] * np.array([0.5, 0.5, 0.5, 0.5]))  # Nov, Dec, Jan, Feb
