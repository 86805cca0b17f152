"""Syntetos-Boylan demand classes on series whose ADI and CV² are known by hand."""

import polars as pl
import pytest

from sop.forecast.demand_pattern import classify_demand

SERIES = {
    # name: (zero-filled monthly units, ADI, CV², pattern)
    "steady": ([10, 10, 10, 10, 10, 10], 1.0, 0.0, "smooth"),
    "alternating": ([1, 3, 1, 3, 1, 3], 1.0, 0.25, "smooth"),
    "spiky": ([1, 5, 1, 5, 1, 5], 1.0, 4 / 9, "smooth"),
    "swinging": ([1, 9, 1, 9, 1, 9], 1.0, 0.64, "erratic"),
    "sparse": ([0, 5, 0, 0, 5, 0], 3.0, 0.0, "intermittent"),
    "lumpy": ([0, 1, 0, 0, 9, 0], 3.0, 0.64, "lumpy"),
    "silent": ([0, 0, 0], None, None, "no demand"),
}


@pytest.fixture(scope="module")
def classes() -> dict[str, dict]:
    rows = [(name, float(units)) for name, (series, *_) in SERIES.items() for units in series]
    series = pl.DataFrame(rows, schema=["sku", "units"], orient="row").with_columns(pl.lit("North").alias("region"))
    return {row["sku"]: row for row in classify_demand(series).to_dicts()}


@pytest.mark.parametrize("name", sorted(SERIES))
def test_adi_cv2_and_class_match_the_hand_computed_values(classes: dict[str, dict], name: str) -> None:
    _, adi, cv2, pattern = SERIES[name]
    row = classes[name]
    assert row["adi"] == pytest.approx(adi)
    assert row["cv2"] == pytest.approx(cv2)
    assert row["demand_pattern"] == pattern
