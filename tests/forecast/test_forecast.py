"""The baseline forecast on small constructed series: segments, methods, season, intervals, backtest."""

from datetime import date

import numpy as np
import polars as pl
import pytest

from sop.core.config import ForecastConfig
from sop.core.months import month_range
from sop.forecast.baseline import FAMILY_PROFILE, ZERO, BaselineForecast, forecast_baseline
from sop.forecast.combination import METHOD_NAMES
from sop.forecast.progress import ProgressLog
from tests.forecast.histories import PLAN_MONTH, noisy, seasonal_units, series, sparse

CONFIG = ForecastConfig(horizon_months=12, n_jobs=1)
BOUNDS = ["forecast_lo_80", "forecast_hi_80", "forecast_lo_95", "forecast_hi_95"]


@pytest.fixture(scope="module")
def result() -> BaselineForecast:
    history = pl.concat(
        [
            series("SEASONAL", seasonal_units()),
            *[series(f"NOISY-{seed}", noisy(seed, 50.0 + seed)) for seed in range(8)],
            *[series(f"SPARSE-{seed}", sparse(seed)) for seed in range(4)],
            series("LAUNCH", [40.0, 60.0, 55.0]),
            series("GONE", [50.0] * 30 + [0.0] * 8),
        ]
    )
    return forecast_baseline(history, PLAN_MONTH, CONFIG)


def test_every_series_gets_every_month_of_the_horizon(result: BaselineForecast) -> None:
    forecast = result.forecast
    assert forecast.columns == [
        "sku",
        "region",
        "month",
        "forecast_units",
        *BOUNDS,
        "model",
        "model_weights",
        "demand_pattern",
        "segment",
    ]
    assert forecast.height == 15 * 12
    for _, rows in forecast.group_by("sku"):
        assert rows["month"].to_list() == month_range(PLAN_MONTH, 12)
    assert forecast.equals(forecast.sort("sku", "region", "month"))


def test_each_series_gets_the_method_of_its_segment(result: BaselineForecast) -> None:
    methods = dict(result.forecast.select("sku", pl.concat_str("segment", "model", separator=":")).unique().iter_rows())
    assert methods["SEASONAL"] == f"regular:{METHOD_NAMES['combination']}"
    assert methods["NOISY-0"] == f"regular:{METHOD_NAMES['combination']}"
    assert methods["SPARSE-0"] == f"intermittent:{METHOD_NAMES['best_model']}"
    assert methods["LAUNCH"] == f"new:{FAMILY_PROFILE}"
    assert methods["GONE"] == f"discontinued:{ZERO}"


def test_a_forecast_names_its_pools_models_and_weights(result: BaselineForecast) -> None:
    weights = result.forecast.filter(pl.col("sku") == "NOISY-0")["model_weights"][0]
    members = dict(part.rsplit(" ", 1) for part in weights.split(", "))
    assert set(members) <= set(CONFIG.pools["regular"])
    assert sum(float(weight) for weight in members.values()) == pytest.approx(1.0, abs=0.03)
    sparse = result.forecast.filter(pl.col("segment") == "intermittent")["model_weights"].unique()
    assert len(sparse) == 1, "the intermittent segment forecasts every series with its one best model"
    model, weight = sparse[0].rsplit(" ", 1)
    assert model in CONFIG.pools["intermittent"] and weight == "1.00"


def test_a_known_season_is_reproduced_with_its_peak(result: BaselineForecast) -> None:
    seasonal = result.forecast.filter(pl.col("sku") == "SEASONAL")
    expected = np.array(seasonal_units(60)[48:])
    np.testing.assert_allclose(seasonal["forecast_units"].to_numpy(), expected, rtol=0.05)
    assert seasonal["month"][int(seasonal["forecast_units"].arg_max())] == date(2026, 12, 1)


def test_noisy_series_get_intervals_that_widen_with_the_level(result: BaselineForecast) -> None:
    noisy = result.forecast.filter(pl.col("sku") == "NOISY-3")
    width_80 = noisy["forecast_hi_80"] - noisy["forecast_lo_80"]
    width_95 = noisy["forecast_hi_95"] - noisy["forecast_lo_95"]
    assert (width_80 > 0).all()
    assert (width_95 > width_80).all()


def test_bounds_are_ordered_never_negative_and_never_missing(result: BaselineForecast) -> None:
    numbers = result.forecast.select(pl.col(pl.Float64))
    assert numbers.null_count().sum_horizontal().item() == 0
    assert not any(numbers.select(pl.all().is_nan().any()).row(0))
    assert min(numbers.min().row(0)) >= 0
    ordered = result.forecast.select(
        (pl.col("forecast_lo_95") <= pl.col("forecast_lo_80"))
        & (pl.col("forecast_lo_80") <= pl.col("forecast_units"))
        & (pl.col("forecast_units") <= pl.col("forecast_hi_80"))
        & (pl.col("forecast_hi_80") <= pl.col("forecast_hi_95"))
    )
    assert ordered.to_series().all()


def test_a_launch_follows_its_familys_season_at_its_own_level(result: BaselineForecast) -> None:
    launch = result.forecast.filter(pl.col("sku") == "LAUNCH")["forecast_units"].to_numpy()
    family = np.array(seasonal_units(60)[48:])  # the Tools season, peaking in December
    np.testing.assert_allclose(launch / launch.mean(), family / family.mean(), rtol=0.05)
    assert 40 < launch.mean() < 70
    interval = result.forecast.filter(pl.col("sku") == "LAUNCH")
    assert (interval["forecast_hi_95"] > interval["forecast_units"]).all()


def test_a_discontinued_item_forecasts_zero(result: BaselineForecast) -> None:
    gone = result.forecast.filter(pl.col("sku") == "GONE")
    assert gone.select(pl.col(pl.Float64)).max().row(0) == (0.0,) * 5


def test_the_backtest_scores_every_method_of_every_segment(result: BaselineForecast) -> None:
    backtest = result.backtest
    methods = {(row["segment"], row["method"]) for row in backtest.iter_rows(named=True)}
    assert {("regular", model) for model in (*CONFIG.pools["regular"], "Combination")} <= methods
    assert {("intermittent", model) for model in (*CONFIG.pools["intermittent"], "BestModel")} <= methods
    assert ("new", "FamilyProfile") in methods
    regular = backtest.filter((pl.col("segment") == "regular") & pl.col("product_family").is_null())
    combined = regular.filter(pl.col("method") == "Combination").row(0, named=True)
    assert (combined["series"], combined["observations"]) == (9, 9 * CONFIG.origin_backs[0])
    members = regular.filter(pl.col("method") != "Combination")
    # Each member on the series it forecast from the newest origin: all of them, but where it ran off
    # or, for a model that needs a longer history than these have (CES-log), none.
    needs_more = pl.col("method").is_in(list(CONFIG.model_min_history_months))
    assert members.filter(~needs_more)["series"].is_between(1, 9).all()
    assert members.filter(needs_more)["series"].to_list() == [0]
    assert (members["observations"] == members["series"] * CONFIG.origin_backs[0]).all()
    assert 0 <= combined["wape"] < 0.2
    assert 0 <= combined["coverage_80"] <= combined["coverage_95"] <= 1


def test_the_horizon_follows_the_config() -> None:
    history = series("NOISY", noisy(1))
    three = forecast_baseline(history, PLAN_MONTH, ForecastConfig(horizon_months=3, n_jobs=1)).forecast
    assert three["month"].to_list() == month_range(PLAN_MONTH, 3)


def test_the_same_history_gives_the_same_forecast() -> None:
    history = pl.concat([series("SEASONAL", seasonal_units()), series("LAUNCH", [40.0, 60.0, 55.0])])
    first = forecast_baseline(history, PLAN_MONTH, CONFIG)
    again = forecast_baseline(history, PLAN_MONTH, CONFIG)
    assert first.forecast.equals(again.forecast)
    assert first.backtest.equals(again.backtest)


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"origin_count": 0}, "origin_count"),
        ({"selection_steps": 12}, "selection_steps"),
        ({"pools": {"regular": ("DynamicTheta",)}}, "pools must name"),
        ({"pool_methods": {"regular": "combination"}}, "pool_methods must name"),
    ],
)
def test_a_config_that_would_leak_or_drop_series_is_refused(settings: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ForecastConfig(**settings)


def test_an_unknown_model_is_named_before_any_fit() -> None:
    config = ForecastConfig(pools={"regular": ("DynamicTheta", "Prophet"), "intermittent": ("ADIDA",)})
    with pytest.raises(ValueError, match="unknown forecasting models \\['Prophet'\\]"):
        forecast_baseline(series("NOISY", noisy(1)), PLAN_MONTH, config)


def test_the_forecast_log_tells_each_tenth_of_a_segment_once_with_the_time_left() -> None:
    class Log:
        def __init__(self) -> None:
            self.lines: list[str] = []

        def info(self, msg: str) -> None:
            self.lines.append(msg)

        def debug(self, msg: str) -> None:
            self.lines.append(f"debug: {msg}")

    log, now = Log(), [0.0]
    progress = ProgressLog(log, clock=lambda: now[0])
    for now[0], done in ((10.0, 64), (20.0, 128), (21.0, 160), (31.0, 200), (100.0, 640)):
        progress("regular", done, 640)
    assert log.lines == [
        "forecast regular: 64 of 640 series (10%), 10s so far, about 1m30s left",
        "forecast regular: 128 of 640 series (20%), 20s so far, about 1m20s left",
        "forecast regular: 200 of 640 series (31%), 31s so far, about 1m08s left",
        "forecast regular: 640 of 640 series (100%) in 1m40s",
    ]


def test_the_familys_forecast_is_the_sum_of_its_series_inside_its_own_intervals(result: BaselineForecast) -> None:
    families = result.families
    assert families.columns == ["product_family", "month", "forecast_units", *BOUNDS]
    assert families["month"].to_list() == month_range(PLAN_MONTH, 12)
    np.testing.assert_allclose(
        families["forecast_units"].to_numpy(),
        result.forecast.group_by("month").agg(pl.col("forecast_units").sum()).sort("month")["forecast_units"],
    )
    point, low_80, high_80, low_95, high_95 = (families[column].to_numpy() for column in ["forecast_units", *BOUNDS])
    assert (low_95 <= low_80).all() and (low_80 < point).all()
    assert (point < high_80).all() and (high_80 <= high_95).all()
    # Far months are no better known than near ones: the bounds never come closer to the forecast.
    for gap in (high_80 - point, high_95 - point, point - low_80, point - low_95):
        assert (np.diff(gap) >= -1e-9).all()


def test_the_backtest_scores_the_family_totals_at_their_own_level(result: BaselineForecast) -> None:
    family = result.backtest.filter((pl.col("level") == "family") & pl.col("product_family").is_null())
    assert family.select("segment", "method", "series", "observations").rows() == [("all", "FamilyBlend", 1, 6)]
    assert 0.0 <= family["coverage_80"].item() <= family["coverage_95"].item() <= 1.0
    # The reconciliation's evidence: each way scored at every origin, one of them taken, per family and level.
    evidence = result.backtest.filter(pl.col("product_family").is_not_null())
    assert evidence.height == 3 * 2 * evidence["product_family"].n_unique()
    taken = evidence.filter("chosen").group_by("product_family").agg(pl.col("method").n_unique(), pl.len())
    assert (taken["method"] == 1).all() and (taken["len"] == 2).all()
    assert set(result.backtest["level"]) == {"series", "family"}
