"""The regular segment reconciled as the job publishes it: the family blend, its evidence per family, and
the forecasts from the origins that the intervals and the backtest learn from."""

from dataclasses import replace

import numpy as np
import polars as pl
import pytest

from sop.core.config import ForecastConfig, Reconciliation
from sop.forecast.combination import combine, pool_weights
from sop.forecast.reconciled import BLEND_WEIGHT, Reconciled, _Candidates, _Evidence, reconciled
from sop.forecast.reconciliation import Hierarchy, mint_shrink
from sop.forecast.rolling_origin import PoolSpec, forecast_pool
from sop.forecast.series_arrays import SeriesArrays
from tests.forecast.test_reconciliation import BOTTOM


def _families() -> tuple[Hierarchy, np.ndarray]:
    hierarchy = Hierarchy.of(BOTTOM, ("total", "product_family", "region"))
    return hierarchy, Hierarchy.of(BOTTOM, ("product_family",)).summing


def test_the_blend_gives_each_family_the_mean_of_bottom_up_and_mint_split_by_its_series_shape() -> None:
    hierarchy, families = _families()
    rng = np.random.default_rng(3)
    forecasts = rng.gamma(4.0, 10.0, (hierarchy.aggregates + BOTTOM.height, 5))
    errors = rng.normal(0.0, 5.0, (hierarchy.aggregates + BOTTOM.height, 12))
    candidates = _Candidates.of(hierarchy, families, forecasts, errors)
    bottom_up = forecasts[hierarchy.aggregates :]
    mint = mint_shrink(hierarchy, forecasts, errors)
    expected = BLEND_WEIGHT * (families @ mint) + (1 - BLEND_WEIGHT) * (families @ bottom_up)
    np.testing.assert_allclose(families @ candidates.forecasts["family_blend"], expected)
    # Within a family every series moves by the same ratio: its shape is its own forecast's.
    ratios = candidates.forecasts["family_blend"] / bottom_up
    for family in range(families.shape[0]):
        members = families[[family]].toarray()[0] > 0
        np.testing.assert_allclose(ratios[members] - ratios[members][0], 0.0, atol=1e-12)
    np.testing.assert_allclose(candidates.forecasts["bottom_up"], bottom_up)


def test_a_family_keeps_bottom_up_only_where_the_blend_did_worse_at_both_levels() -> None:
    _, families = _families()
    actual = np.full((8, 2), 10.0)
    bottom_up = actual + np.array([1.0, -1.0, 1.0, -1.0, 4.0, 4.0, 4.0, 4.0])[:, None]
    # Family A: the blend's series errors cancel less in the total and are larger each: worse both ways.
    # Family B: the blend is worse over the series (21 against 16) but better on the total (9 against 16).
    blend = actual + np.array([2.0, 2.0, 2.0, 2.0, -6.0, 6.0, 0.0, 9.0])[:, None]
    evidence = _Evidence.empty(2)
    evidence.add(
        families, actual, _Candidates({"bottom_up": bottom_up, "mint_shrink": bottom_up, "family_blend": blend})
    )
    np.testing.assert_array_equal(evidence.blend_chosen(), [False, True])
    frame = evidence.frame(pl.Series(["A", "B"]), "family_blend", families)
    chosen = frame.filter("chosen").select("product_family", "method").unique().sort("product_family")
    assert chosen.rows() == [("A", "BottomUp"), ("B", "FamilyBlend")]
    family_a = frame.filter((pl.col("product_family") == "A") & (pl.col("method") == "FamilyBlend"))
    assert dict(family_a.select("level", "wape").rows()) == pytest.approx({"family": 16 / 80, "series": 16 / 80})
    assert dict(family_a.select("level", "observations").rows()) == {"family": 2, "series": 8}


def test_a_family_no_origin_scored_takes_the_blend_and_says_it_had_no_evidence() -> None:
    _, families = _families()
    evidence = _Evidence.empty(2)
    np.testing.assert_array_equal(evidence.blend_chosen(), [True, True])
    frame = evidence.frame(pl.Series(["A", "B"]), "family_blend", families)
    assert (frame["observations"] == 0).all() and frame["wape"].is_null().all()
    assert set(frame.filter("chosen")["method"]) == {"FamilyBlend"}


@pytest.fixture(scope="module")
def regular_pool() -> tuple:
    config = replace(ForecastConfig(), pools={"regular": ("SeasonalNaive", "DynamicTheta"), "intermittent": ("ADIDA",)})
    config = replace(config, pool_methods={"regular": "combination", "intermittent": "best_model"}, n_jobs=1)
    rng = np.random.default_rng(2)
    season = 1 + 0.3 * np.sin(2 * np.pi * np.arange(48) / 12)
    # The last series is 30 months long: too short for the older origins, so it is not measured.
    values = [level * season * rng.gamma(50.0, 1 / 50.0, 48) for level in (40.0, 60.0, 80.0, 20.0, 30.0, 50.0, 70.0)]
    values.append(values[-1][-30:] * 0.5)
    arrays = SeriesArrays(BOTTOM.select("sku", "region"), BOTTOM["product_family"].to_list(), values)
    spec = PoolSpec(config.pools["regular"], 12, config.horizon_months, config.origin_backs, 24)
    pool = forecast_pool(values, spec, 1)
    usable = np.isfinite(pool.final).all(axis=2)
    weights = pool_weights("combination", pool.rolling, pool.actual, range(3), config.selection_steps, usable)
    held_out = pool_weights("combination", pool.rolling, pool.actual, range(1, 3), config.selection_steps, usable)
    return config, arrays, pool, weights, held_out, spec


def _reconciled(regular_pool: tuple, method: Reconciliation) -> tuple[Reconciled, np.ndarray, np.ndarray]:
    config, arrays, pool, weights, held_out, spec = regular_pool
    point = combine(pool.final, weights)
    config = replace(config, reconciliation=method)
    return reconciled("regular", arrays, pool, weights, held_out, point, spec, config), point, pool


@pytest.mark.parametrize("method", ["mint_shrink", "family_blend"])
def test_reconciled_moves_the_measured_series_and_leaves_a_too_short_one_alone(
    regular_pool: tuple, method: Reconciliation
) -> None:
    result, point, pool = _reconciled(regular_pool, method)
    held_out_weights = regular_pool[4]
    np.testing.assert_allclose(result.point[-1], point[-1])
    assert not np.allclose(result.point[:-1], point[:-1])
    assert result.point.shape == point.shape and np.isfinite(result.point).all()
    # From the newest origin: the measured series reconciled with what the older origins taught, the
    # short one as its own forecasts, in the months known.
    newest = combine(pool.rolling, held_out_weights)[:, 0]
    known = np.isfinite(pool.actual[:, 0])
    np.testing.assert_allclose(result.held_out[-1, 0][known[-1]], newest[-1][known[-1]])
    assert np.isfinite(result.held_out[:-1, 0][known[:-1]]).all()
    assert not np.allclose(result.held_out[:-1, 0][known[:-1]], newest[:-1][known[:-1]])
    # The intervals learn from the same rule at every origin, not from the series' own forecasts.
    assert result.rolling.shape == pool.actual.shape
    assert not np.allclose(result.rolling[:-1], combine(pool.rolling, regular_pool[3])[:-1], equal_nan=True)


def test_the_evidence_names_one_reconciliation_per_family_and_the_forecast_follows_it(regular_pool: tuple) -> None:
    result, point, _ = _reconciled(regular_pool, "family_blend")
    evidence = result.evidence
    assert set(evidence["method"]) == {"BottomUp", "MinT", "FamilyBlend"}
    assert set(evidence["level"]) == {"family", "series"}
    chosen = evidence.filter("chosen").group_by("product_family").agg(pl.col("method").unique())
    assert sorted(chosen["product_family"]) == ["A", "B"] and all(len(methods) == 1 for methods in chosen["method"])
    assert evidence["wape"].is_not_null().all() and (evidence["observations"] > 0).all()
    for family, methods in chosen.iter_rows():
        rows = np.flatnonzero((BOTTOM["product_family"] == family).to_numpy()[:-1])
        moved = not np.allclose(result.point[rows], point[rows])
        assert moved == (methods[0] == "FamilyBlend")
