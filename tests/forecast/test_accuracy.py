"""Forecast accuracy against hand-computed values: WAPE, MAPE, bias, MASE, FVA and coverage per level and lag."""

from datetime import date

import duckdb
import polars as pl
import pytest

from sop.core.config import AccuracyConfig
from sop.core.months import month_range
from sop.core.warehouse import read_partition
from sop.forecast.accuracy import track_accuracy

PLAN_MONTH = date(2026, 11, 1)
CONFIG = AccuracyConfig(accuracy_months=2, lags=(1, 3))
SPECIAL = {date(2024, 10, 1): 14.0, date(2025, 9, 1): 8.0, date(2025, 10, 1): 12.0, date(2026, 10, 1): 20.0}


def _warehouse(con: duckdb.DuckDBPyConnection) -> None:
    """sku A sells 10 a month from 2024-09 but for SPECIAL; sku B (same family) launches in 2026-10 with 5.
    Forecasts of A: 12 for Sep from plan month Sep; 16 for Oct from Oct; 15 for Oct from Aug (lag 3)."""
    months = month_range(date(2024, 9, 1), 26)
    sales = pl.DataFrame(
        {
            "plan_month": PLAN_MONTH,
            "month": [*months, date(2026, 10, 1)],
            "sku": ["A"] * 26 + ["B"],
            "product_family": "F",
            "region": "N",
            "units": [SPECIAL.get(month, 10.0) for month in months] + [5.0],
            "net_revenue": 0.0,
        }
    )
    forecasts = pl.DataFrame(
        {
            "plan_month": [date(2026, 9, 1), date(2026, 9, 1), date(2026, 10, 1), date(2026, 8, 1)],
            "sku": "A",
            "region": "N",
            "product_family": "F",
            # The October row of plan month September is a lag-2 forecast: never judged here.
            "month": [date(2026, 9, 1), date(2026, 10, 1), date(2026, 10, 1), date(2026, 10, 1)],
            "forecast_units": [12.0, 99.0, 16.0, 15.0],
            "forecast_lo_80": [10.5, 0.0, 14.0, 0.0],
            "forecast_hi_80": [13.0, 0.0, 22.0, 0.0],
            "forecast_lo_95": [5.0, 0.0, 12.0, 0.0],
            "forecast_hi_95": [15.0, 0.0, 25.0, 0.0],
        }
    )
    # Family F's published intervals: September (10 sold) misses the 80% one, October (25) hits both;
    # plan month August's October (lag 3) misses both.
    families = pl.DataFrame(
        {
            "plan_month": [date(2026, 9, 1), date(2026, 10, 1), date(2026, 8, 1)],
            "product_family": "F",
            "month": [date(2026, 9, 1), date(2026, 10, 1), date(2026, 10, 1)],
            "forecast_units": [12.0, 16.0, 15.0],
            "forecast_lo_80": [11.0, 14.0, 0.0],
            "forecast_hi_80": [13.0, 26.0, 1.0],
            "forecast_lo_95": [9.0, 10.0, 0.0],
            "forecast_hi_95": [15.0, 30.0, 2.0],
        }
    )
    con.register("frame", sales.to_arrow())
    con.execute("create table stg_sales as select * from frame")
    for table, frame in (("sku_forecast", forecasts), ("family_forecast", families)):
        con.register("frame", frame.to_arrow())
        con.execute(f"insert into {table} by name select * from frame")
    con.unregister("frame")


@pytest.fixture
def summary(con: duckdb.DuckDBPyConnection) -> dict[tuple, dict]:
    _warehouse(con)
    track_accuracy(con, PLAN_MONTH, CONFIG)
    rows = read_partition(con, "draft.forecast_accuracy_summary", {"plan_month": PLAN_MONTH}).iter_rows(named=True)
    return {(row["lag"], row["level"], row["sku"]): row for row in rows}


def test_a_series_is_judged_on_the_trailing_months_at_lag_one(summary: dict[tuple, dict]) -> None:
    a = summary[(1, "sku_region", "A")]
    assert (a["months"], a["actual_units"], a["forecast_units"]) == (2, 30.0, 28.0)
    assert a["wape"] == pytest.approx(6 / 30)  # |12 - 10| + |16 - 20|
    assert a["mape"] == pytest.approx(0.2)  # 2/10 and 4/20
    assert a["bias"] == pytest.approx(-2 / 30)
    # Seasonal naive MAE before September: |8-10|, |12-14| and ten zeros = 1/3; before October
    # also |10-8|: 6/13. MASE = mean(2 / (1/3), 4 / (6/13)).
    assert a["mase"] == pytest.approx((6 + 4 * 13 / 6) / 2)
    assert a["naive_wape"] == pytest.approx((2 + 8) / 30)  # last year's 8 and 12
    assert a["fva"] == pytest.approx(4 / 30)
    assert (a["coverage_80"], a["coverage_95"]) == (0.5, 1.0)


def test_a_series_sold_without_a_forecast_counts_as_forecast_zero(summary: dict[tuple, dict]) -> None:
    b = summary[(1, "sku_region", "B")]
    assert (b["months"], b["actual_units"], b["forecast_units"], b["wape"], b["bias"]) == (1, 5.0, 0.0, 1.0, -1.0)
    assert b["coverage_80"] is None and b["mase"] is None  # no interval, no year of history


def test_a_family_is_judged_on_its_total(summary: dict[tuple, dict]) -> None:
    family = summary[(1, "family", None)]
    assert family["product_family"] == "F"
    assert family["actual_units"] == 35.0
    assert family["wape"] == pytest.approx((2 + 9) / 35)  # October: 16 against 20 + 5
    assert family["bias"] == pytest.approx(-7 / 35)
    assert family["fva"] == pytest.approx((15 - 11) / 35)
    assert family["mase"] == pytest.approx((6 + 9 * 13 / 6) / 2)
    assert (family["coverage_80"], family["coverage_95"]) == (0.5, 1.0)  # family_forecast's intervals
    assert (summary[(3, "family", None)]["coverage_80"], summary[(3, "family", None)]["coverage_95"]) == (0.0, 0.0)
    assert summary[(1, "total", None)]["wape"] == family["wape"]
    assert summary[(1, "total", None)]["coverage_80"] is None  # no interval published for the total
    assert summary[(1, "sku", "A")]["wape"] == summary[(1, "sku_region", "A")]["wape"]


def test_lag_three_judges_the_forecast_made_two_plan_months_before(summary: dict[tuple, dict]) -> None:
    a = summary[(3, "sku_region", "A")]
    # Only October has a lag-3 forecast (plan month August); September's would be from July.
    assert (a["months"], a["first_month"], a["forecast_units"]) == (1, date(2026, 10, 1), 15.0)
    assert a["wape"] == pytest.approx(5 / 20)
    assert a["mase"] == pytest.approx(5 / (4 / 11))  # scale before August: 2, 2 and nine zeros


def test_running_again_replaces_the_months_rows(con: duckdb.DuckDBPyConnection) -> None:
    _warehouse(con)
    first = track_accuracy(con, PLAN_MONTH, CONFIG)
    assert track_accuracy(con, PLAN_MONTH, CONFIG) == first
    assert con.execute("select count(*) from draft.forecast_accuracy").fetchall()[0][0] == first.detail


def test_a_series_forecast_but_gone_from_the_extract_is_a_miss(con: duckdb.DuckDBPyConnection) -> None:
    _warehouse(con)
    con.execute(
        "insert into sku_forecast by name select date '2026-10-01' as plan_month, 'C' as sku, 'N' as region,"
        " 'F' as product_family, date '2026-10-01' as month, 5.0 as forecast_units, 4.0 as forecast_lo_80,"
        " 6.0 as forecast_hi_80, 3.0 as forecast_lo_95, 7.0 as forecast_hi_95"
    )
    track_accuracy(con, PLAN_MONTH, CONFIG)
    summary = read_partition(con, "draft.forecast_accuracy_summary", {"plan_month": PLAN_MONTH})
    c = summary.filter((pl.col("sku") == "C") & (pl.col("level") == "sku_region")).row(0, named=True)
    assert (c["actual_units"], c["forecast_units"], c["coverage_80"], c["coverage_95"]) == (0.0, 5.0, 0.0, 0.0)


def _adjusted(con: duckdb.DuckDBPyConnection) -> None:
    """What the demand review of each plan month did to family F (demand_adjustments.contribution_units):
    sales -2 on September (plan September) and +4 on October (plan October), finance -6 on October
    (plan October), marketing +10 on October from plan August (judged at lag 3 only), and the executive
    on November, a month not judged yet."""
    changes = pl.DataFrame(
        {
            "plan_month": [date(2026, 9, 1), date(2026, 10, 1), date(2026, 10, 1), date(2026, 8, 1), date(2026, 10, 1)],
            "month": [date(2026, 9, 1), date(2026, 10, 1), date(2026, 10, 1), date(2026, 10, 1), date(2026, 11, 1)],
            "product_family": "F",
            "source": ["sales", "sales", "finance", "marketing", "executive"],
            "owner": ["Tom", "Tom", "Lena", "Maria", "Ana"],
            "contribution_units": [-2.0, 4.0, -6.0, 10.0, 50.0],
        }
    )
    con.register("frame", changes.to_arrow())
    con.execute("insert into demand_adjustments by name select * from frame")
    con.unregister("frame")


@pytest.fixture
def stairstep(con: duckdb.DuckDBPyConnection) -> dict[tuple, dict]:
    _warehouse(con)
    _adjusted(con)
    track_accuracy(con, PLAN_MONTH, CONFIG)
    rows = read_partition(con, "draft.forecast_value_added", {"plan_month": PLAN_MONTH}).iter_rows(named=True)
    return {(row["lag"], row["level"], row["step"]): row for row in rows}


def test_each_source_is_judged_on_the_forecast_after_its_changes(stairstep: dict[tuple, dict]) -> None:
    # Family F at lag 1, September then October (sold 10 and 25): naive 8 and 12, statistical 12 and 16;
    # sales makes them 10 and 20, finance takes October to 14, which is the consensus.
    steps = [
        row["step"]
        for key, row in sorted(stairstep.items(), key=lambda item: item[1]["step_order"])
        if key[:2] == (1, "family")
    ]
    assert steps == ["naive", "statistical", "sales", "finance", "consensus"]  # marketing changed nothing here
    expected = {
        "naive": (15 / 35, -15 / 35, None),
        "statistical": (11 / 35, -7 / 35, 4 / 35),
        "sales": (5 / 35, -5 / 35, 6 / 35),
        "finance": (11 / 35, -11 / 35, -6 / 35),
        "consensus": (11 / 35, -11 / 35, 0.0),  # over the statistical forecast: the review added nothing
    }
    for step, (wape, bias, fva) in expected.items():
        row = stairstep[(1, "family", step)]
        assert (row["wape"], row["bias"]) == pytest.approx((wape, bias)), step
        assert row["fva"] == (None if fva is None else pytest.approx(fva)), step
    assert (stairstep[(1, "family", "sales")]["changed_months"], stairstep[(1, "family", "sales")]["owners"]) == (
        2,
        "Tom",
    )
    assert (stairstep[(1, "family", "finance")]["changed_months"], stairstep[(1, "family", "finance")]["owners"]) == (
        1,
        "Lena",
    )
    assert stairstep[(1, "family", "consensus")]["forecast_units"] == 10.0 + 14.0
    assert stairstep[(1, "total", "finance")]["wape"] == stairstep[(1, "family", "finance")]["wape"]


def test_lag_three_judges_the_changes_of_the_plan_that_made_the_forecast(stairstep: dict[tuple, dict]) -> None:
    # October from plan August: statistical 15, marketing's +10 makes it the 25 sold.
    assert {step for lag, level, step in stairstep if (lag, level) == (3, "family")} == {
        "naive",
        "statistical",
        "marketing",
        "consensus",
    }
    marketing = stairstep[(3, "family", "marketing")]
    assert (marketing["months"], marketing["wape"], marketing["fva"]) == (1, 0.0, pytest.approx(10 / 25))
    assert stairstep[(3, "family", "consensus")]["fva"] == pytest.approx(10 / 25)
