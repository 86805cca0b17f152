"""Which method each series gets, and the zero-filled history it is fitted on."""

from datetime import date

import polars as pl

from sop.core.config import ForecastConfig
from sop.core.months import add_months, month_range
from sop.forecast.segments import segment_series, zero_filled

PLAN_MONTH = date(2026, 11, 1)


def _series(sku: str, units: list[float], region: str = "North", family: str = "Tools") -> pl.DataFrame:
    """`units` for the months up to M-1, without the zero months (as extracts have them)."""
    months = month_range(add_months(PLAN_MONTH, -len(units)), len(units))
    frame = pl.DataFrame(
        {"sku": sku, "region": region, "product_family": family, "month": months, "units": [float(u) for u in units]}
    )
    return frame.filter(pl.col("units") > 0)


def test_months_without_a_row_are_zero_sales_from_the_first_sale_on() -> None:
    filled = zero_filled(_series("GAPS", [0.0, 10.0, 0.0, 10.0, 0.0, 0.0]), PLAN_MONTH)
    assert filled["units"].to_list() == [10.0, 0.0, 10.0, 0.0, 0.0]
    assert filled["month"].to_list() == month_range(date(2026, 6, 1), 5)
    assert filled["product_family"].unique().to_list() == ["Tools"]


def test_only_the_latest_max_months_are_kept() -> None:
    filled = zero_filled(_series("LONG", list(range(1, 41))), PLAN_MONTH, max_months=24)
    assert filled.height == 24
    assert filled["units"].to_list() == [float(unit) for unit in range(17, 41)]


def test_each_series_gets_its_segment() -> None:
    steady = [50.0 + (month % 12) for month in range(36)]
    sparse = [0.0, 0.0, 0.0, 5.0, 0.0, 0.0, 0.0, 0.0, 9.0, 0.0, 0.0, 1.0] * 3
    history = pl.concat(
        [
            _series("STEADY", steady),
            _series("SPARSE", sparse),
            _series("LAUNCH", [4.0, 6.0, 5.0]),
            _series("GONE", [50.0] * 30 + [0.0] * 8),
            # Silent for 8 months in one region, still selling in another: not discontinued.
            _series("SPLIT", steady[:28] + [0.0] * 8, region="North"),
            _series("SPLIT", steady, region="South"),
        ]
    )
    segments = segment_series(zero_filled(history, PLAN_MONTH), ForecastConfig())
    assert {(row["sku"], row["region"]): row["segment"] for row in segments.iter_rows(named=True)} == {
        ("STEADY", "North"): "regular",
        ("SPARSE", "North"): "intermittent",
        ("LAUNCH", "North"): "new",
        ("GONE", "North"): "discontinued",
        ("SPLIT", "North"): "regular",
        ("SPLIT", "South"): "regular",
    }
    assert dict(segments.select("sku", "demand_pattern").filter(pl.col("sku") == "SPARSE").iter_rows()) == {
        "SPARSE": "intermittent"
    }
