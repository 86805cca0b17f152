"""Reconciliation: coherent families, hand-worked small hierarchies, and MinT's scalable form against the dense one."""

import numpy as np
import polars as pl
import pytest

from sop.forecast.reconciliation import (
    METHODS,
    Hierarchy,
    LowRankCovariance,
    middle_out,
    mint,
    reconcile,
    shrunk_covariance,
)

# 2 families x 2 skus x 2 regions, bottom series in this order.
BOTTOM = pl.DataFrame(
    [
        (sku, region, family)
        for family, skus in (("A", ("a1", "a2")), ("B", ("b1", "b2")))
        for sku in skus
        for region in ("N", "S")
    ],
    schema=["sku", "region", "product_family"],
    orient="row",
)


def _hierarchy() -> Hierarchy:
    return Hierarchy.of(BOTTOM)


def _dense_summing(hierarchy: Hierarchy) -> np.ndarray:
    return np.vstack([hierarchy.summing.toarray(), np.eye(hierarchy.bottom.height)])


def _gls(summing: np.ndarray, covariance: np.ndarray, forecasts: np.ndarray) -> np.ndarray:
    """(S' W⁻¹ S)⁻¹ S' W⁻¹ ŷ, written out densely."""
    inverse = np.linalg.inv(covariance)
    return np.linalg.solve(summing.T @ inverse @ summing, summing.T @ inverse @ forecasts)


def _node(hierarchy: Hierarchy, level: str, name: str) -> int:
    names = hierarchy.nodes.with_row_index().filter((pl.col("level") == level) & (pl.col("name") == name))
    return int(names["index"][0])


def _forecasts(hierarchy: Hierarchy, families: dict[str, float], bottom: list[float]) -> np.ndarray:
    """[n, 1] every node's own forecast: the given families and bottom series, the rest of the nodes 100."""
    forecasts = np.full((hierarchy.aggregates + len(bottom), 1), 100.0)
    for family, value in families.items():
        forecasts[_node(hierarchy, "product_family", family)] = value
    forecasts[hierarchy.aggregates :, 0] = bottom
    return forecasts


def _shrinkage_errors(nodes: int, seed: int = 3) -> np.ndarray:
    """[n, 12] errors sharing a common shock, so that their covariance is far from diagonal."""
    rng = np.random.default_rng(seed)
    return rng.normal(0.0, 1.0, (nodes, 12)) + rng.normal(0.0, 2.0, (1, 12))


def test_the_hierarchy_sums_skus_families_regions_and_the_total() -> None:
    hierarchy = _hierarchy()
    assert hierarchy.nodes.rows() == [
        ("total", "Total"),
        ("product_family", "A"),
        ("product_family", "B"),
        ("region", "N"),
        ("region", "S"),
        ("sku", "a1"),
        ("sku", "a2"),
        ("sku", "b1"),
        ("sku", "b2"),
    ]
    sums = hierarchy.coherent(np.arange(1.0, 9.0))
    # Bottom 1..8: a1 = 1 + 2, family A = 1 + 2 + 3 + 4, region N = 1 + 3 + 5 + 7.
    np.testing.assert_allclose(sums[:9], [36, 10, 26, 16, 20, 3, 7, 11, 15])
    np.testing.assert_allclose(sums[9:], np.arange(1.0, 9.0))


@pytest.mark.parametrize("method", METHODS)
def test_every_method_makes_each_family_the_sum_of_its_series_and_the_total_the_sum_of_families(method: str) -> None:
    hierarchy = _hierarchy()
    rng = np.random.default_rng(7)
    forecasts = rng.gamma(4.0, 10.0, (hierarchy.aggregates + BOTTOM.height, 6))
    reconciled = reconcile(method, hierarchy, forecasts, _shrinkage_errors(forecasts.shape[0]))
    figures = hierarchy.coherent(reconciled)
    family_of = BOTTOM["product_family"].to_numpy()
    families = figures[hierarchy.rows("product_family")]
    np.testing.assert_allclose(families, [reconciled[family_of == name].sum(axis=0) for name in ("A", "B")])
    total = figures[hierarchy.rows("total")][0]
    np.testing.assert_allclose(total, families.sum(axis=0))
    np.testing.assert_allclose(figures[hierarchy.rows("region")].sum(axis=0), total)


def test_bottom_up_keeps_the_series_forecasts_and_sums_them() -> None:
    hierarchy = _hierarchy()
    forecasts = _forecasts(hierarchy, {"A": 999.0, "B": 999.0}, [1, 2, 3, 4, 5, 6, 7, 8])
    np.testing.assert_allclose(reconcile("bottom_up", hierarchy, forecasts)[:, 0], [1, 2, 3, 4, 5, 6, 7, 8])


def test_middle_out_splits_each_family_forecast_by_its_series_forecasts() -> None:
    hierarchy = _hierarchy()
    # Family A forecast 20 over series 1, 2, 3, 4 (sum 10): twice each. Family B forecast 8 over series
    # forecast 0, 0, -1, 0 (negative counts as zero, so all zero): split equally.
    forecasts = _forecasts(hierarchy, {"A": 20.0, "B": 8.0}, [1, 2, 3, 4, 0, 0, -1, 0])
    np.testing.assert_allclose(middle_out(hierarchy, forecasts)[:, 0], [2, 4, 6, 8, 2, 2, 2, 2])


def test_the_methods_are_not_mixed_up() -> None:
    hierarchy = _hierarchy()
    forecasts = _forecasts(hierarchy, {"A": 20.0, "B": 52.0}, [1, 2, 3, 4, 5, 6, 7, 8])
    errors = _shrinkage_errors(forecasts.shape[0])
    results = {method: reconcile(method, hierarchy, forecasts, errors)[:, 0] for method in METHODS}
    np.testing.assert_allclose(results["bottom_up"], [1, 2, 3, 4, 5, 6, 7, 8])
    np.testing.assert_allclose(results["middle_out"], [2, 4, 6, 8, 10, 12, 14, 16])
    expected = _gls(_dense_summing(hierarchy), shrunk_covariance(errors).dense(), forecasts)[:, 0]
    np.testing.assert_allclose(results["mint_shrink"], expected)
    assert not np.allclose(results["mint_shrink"], results["bottom_up"])
    assert not np.allclose(results["mint_shrink"], results["middle_out"])


def test_mint_with_the_identity_is_the_ols_projection_worked_by_hand() -> None:
    # Total forecast 10 over two series forecast 3 and 5: the gap of 2 is shared by all three nodes
    # equally, each series gets 2/3 more and the total 2/3 less.
    bottom = pl.DataFrame({"sku": ["a", "b"], "region": ["N", "N"], "product_family": ["A", "B"]})
    hierarchy = Hierarchy.of(bottom, ("total",))
    identity = LowRankCovariance(np.ones(3), np.zeros((3, 0)))
    reconciled = mint(hierarchy, np.array([[10.0], [3.0], [5.0]]), identity)
    np.testing.assert_allclose(reconciled[:, 0], [3 + 2 / 3, 5 + 2 / 3])


def test_mint_with_a_diagonal_w_is_weighted_least_squares_worked_by_hand() -> None:
    # Variances 2 (total), 1 and 1: series i moves by its variance x gap / sum of variances = 2 / 4.
    bottom = pl.DataFrame({"sku": ["a", "b"], "region": ["N", "N"], "product_family": ["A", "B"]})
    hierarchy = Hierarchy.of(bottom, ("total",))
    weighted = LowRankCovariance(np.array([2.0, 1.0, 1.0]), np.zeros((3, 0)))
    reconciled = mint(hierarchy, np.array([[10.0], [3.0], [5.0]]), weighted)
    np.testing.assert_allclose(reconciled[:, 0], [3.5, 5.5])


def test_mint_on_the_whole_hierarchy_equals_the_dense_ols_and_wls() -> None:
    hierarchy = _hierarchy()
    summing = _dense_summing(hierarchy)
    nodes = summing.shape[0]
    forecasts = np.random.default_rng(11).gamma(4.0, 10.0, (nodes, 3))
    ols = summing.T @ np.linalg.pinv(summing @ summing.T) @ forecasts  # the projection onto coherent forecasts
    np.testing.assert_allclose(mint(hierarchy, forecasts, LowRankCovariance(np.ones(nodes), np.zeros((nodes, 0)))), ols)
    variances = np.linspace(1.0, 5.0, nodes)
    wls = _gls(summing, np.diag(variances), forecasts)
    np.testing.assert_allclose(mint(hierarchy, forecasts, LowRankCovariance(variances, np.zeros((nodes, 0)))), wls)


def _schafer_strimmer(errors: np.ndarray) -> np.ndarray:
    """The shrinkage estimator pair by pair, as hierarchicalforecast computes it (n² loops)."""
    nodes, count = errors.shape
    centred = errors - errors.mean(axis=1, keepdims=True)
    covariance = centred @ centred.T / (count - 1)
    scale = np.sqrt((centred**2).mean(axis=1)) + 2e-8
    noise = size = 0.0
    for i in range(nodes):
        for j in range(i):
            products = centred[i] * centred[j] / (scale[i] * scale[j])
            noise += ((products - products.mean()) ** 2).sum()
            size += products.mean() ** 2
    shrinkage = np.clip(noise / (count * (count - 1)) / (size + 2e-8), 0.0, 1.0)
    shrunk = (1 - shrinkage) * covariance
    np.fill_diagonal(shrunk, np.maximum(np.diag(covariance), 2e-8))
    return shrunk


def test_the_shrunk_covariance_is_schafer_strimmer_without_forming_n_by_n() -> None:
    errors = _shrinkage_errors(17)
    np.testing.assert_allclose(shrunk_covariance(errors).dense(), _schafer_strimmer(errors), atol=1e-12)


@pytest.mark.parametrize(
    "levels", [("total", "product_family", "region", "sku"), ("total", "product_family", "region")]
)
def test_mint_shrink_equals_the_dense_gls_on_a_larger_hierarchy(levels: tuple) -> None:
    bottom = pl.DataFrame(
        [(f"s{sku}", region, f"F{sku % 3}") for sku in range(12) for region in ("N", "S", "E")],
        schema=["sku", "region", "product_family"],
        orient="row",
    )
    hierarchy = Hierarchy.of(bottom, levels)
    nodes = hierarchy.aggregates + bottom.height
    forecasts = np.random.default_rng(5).gamma(4.0, 10.0, (nodes, 4))
    errors = _shrinkage_errors(nodes)
    expected = _gls(_dense_summing(hierarchy), _schafer_strimmer(errors), forecasts)
    np.testing.assert_allclose(reconcile("mint_shrink", hierarchy, forecasts, errors), expected, rtol=1e-9)
