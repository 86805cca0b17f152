"""How the demand review's changes land on the sku x region series, on cases computed by hand."""

from datetime import date

import polars as pl
import pytest

from sop.demand.consensus import CHANGE_SCHEMA, reconcile

DEC = date(2026, 12, 1)
JAN = date(2027, 1, 1)


def _forecast(*rows: tuple[str, str, str, date, float]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=["sku", "region", "product_family", "month", "units"], orient="row")


def _changes(*rows: dict) -> pl.DataFrame:
    schema = {**CHANGE_SCHEMA, "_source_row": pl.Int64}
    filled = [
        {"month": DEC, "sku": None, "region": None, "owner": "Owner", "reason": "Why", "_source_row": row, **change}
        for row, change in enumerate(rows, start=1)
    ]
    return pl.DataFrame(filled, schema=schema)


FAMILY = _forecast(
    ("A", "North", "Tools", DEC, 30.0),
    ("A", "South", "Tools", DEC, 10.0),
    ("B", "North", "Tools", DEC, 60.0),
    ("C", "North", "Garden", DEC, 50.0),
    ("A", "North", "Tools", JAN, 5.0),
)


def _consensus(statistical: pl.DataFrame, *changes: dict) -> dict[tuple[str, str, date], float]:
    result = reconcile(statistical, _changes(*changes))
    return {
        (sku, region, month): units
        for sku, region, month, units in result.series.select("sku", "region", "month", "consensus_units").iter_rows()
    }


def test_without_changes_the_consensus_is_the_statistical_forecast() -> None:
    result = reconcile(FAMILY, _changes())
    assert result.series["consensus_units"].to_list() == result.series["statistical_units"].to_list()
    assert result.changes.height == 0 and result.warnings == []


def test_a_family_scale_changes_every_series_of_the_family_and_month_by_its_percent() -> None:
    consensus = _consensus(
        FAMILY, {"product_family": "Tools", "kind": "scale_pct", "value": 10.0, "source": "marketing"}
    )
    assert consensus[("A", "North", DEC)] == pytest.approx(33.0)
    assert consensus[("A", "South", DEC)] == pytest.approx(11.0)
    assert consensus[("B", "North", DEC)] == pytest.approx(66.0)
    assert consensus[("C", "North", DEC)] == 50.0  # another family
    assert consensus[("A", "North", JAN)] == 5.0  # another month


def test_a_family_and_region_add_spreads_in_proportion_to_what_each_series_holds() -> None:
    change = {"product_family": "Tools", "region": "North", "kind": "add_units", "value": 45.0, "source": "sales"}
    result = reconcile(FAMILY, _changes(change))
    consensus = dict(
        zip(result.series.select("sku", "region", "month").rows(), result.series["consensus_units"], strict=True)
    )
    # North holds 30 (A) and 60 (B): a third and two thirds of the 45.
    assert consensus[("A", "North", DEC)] == pytest.approx(45.0)
    assert consensus[("B", "North", DEC)] == pytest.approx(90.0)
    assert consensus[("A", "South", DEC)] == 10.0
    landed = result.changes.row(0, named=True)
    assert (landed["scope"], landed["series"], landed["units_before"], landed["units_after"]) == (
        "family_region",
        2,
        90.0,
        135.0,
    )


def test_a_sku_set_lands_after_a_family_add_whatever_the_file_order() -> None:
    consensus = _consensus(
        FAMILY,
        {"product_family": "Tools", "sku": "A", "kind": "set_units", "value": 20.0, "source": "supply"},
        {"product_family": "Tools", "kind": "add_units", "value": 100.0, "source": "sales"},
    )
    # The family add first: +100 over 30, 10 and 60 gives 60, 20 and 120; then sku A becomes 20 in
    # all, spread over its regions as they hold then (60 and 20).
    assert consensus[("A", "North", DEC)] == pytest.approx(15.0)
    assert consensus[("A", "South", DEC)] == pytest.approx(5.0)
    assert consensus[("B", "North", DEC)] == pytest.approx(120.0)


def test_within_a_scope_set_then_scale_then_add_and_sources_in_their_order() -> None:
    consensus = _consensus(
        FAMILY,
        {"product_family": "Garden", "kind": "add_units", "value": 10.0, "source": "sales"},
        {"product_family": "Garden", "kind": "scale_pct", "value": 50.0, "source": "finance"},
        {"product_family": "Garden", "kind": "scale_pct", "value": -50.0, "source": "marketing"},
        {"product_family": "Garden", "kind": "set_units", "value": 40.0, "source": "executive"},
    )
    # set 40, then marketing -50% (20), then finance +50% (30), then add 10.
    assert consensus[("C", "North", DEC)] == pytest.approx(40.0)


def test_a_change_that_would_go_below_zero_stops_at_zero_and_says_so() -> None:
    result = reconcile(
        FAMILY, _changes({"product_family": "Garden", "kind": "add_units", "value": -80.0, "source": "sales"})
    )
    assert result.series.filter(pl.col("sku") == "C")["consensus_units"].to_list() == [0.0]
    landed = result.changes.row(0, named=True)
    assert landed["floored_units"] == pytest.approx(30.0)
    assert len(result.warnings) == 1
    assert "Garden, the whole family, 2026-12" in result.warnings[0] and "below zero" in result.warnings[0]


def test_a_change_over_series_that_all_hold_nothing_is_spread_evenly() -> None:
    zero = _forecast(
        ("A", "North", "Tools", DEC, 0.0), ("B", "North", "Tools", DEC, 0.0), ("B", "South", "Tools", DEC, 0.0)
    )
    consensus = _consensus(zero, {"product_family": "Tools", "kind": "add_units", "value": 30.0, "source": "sales"})
    assert list(consensus.values()) == pytest.approx([10.0] * 3)
    consensus = _consensus(zero, {"product_family": "Tools", "kind": "set_units", "value": 9.0, "source": "supply"})
    assert list(consensus.values()) == pytest.approx([3.0] * 3)


def test_a_change_on_no_series_does_nothing_and_says_so() -> None:
    result = reconcile(
        FAMILY,
        _changes({"product_family": "Garden", "region": "South", "kind": "add_units", "value": 5.0, "source": "sales"}),
    )
    assert result.series["consensus_units"].to_list() == result.series["statistical_units"].to_list()
    assert result.changes["series"].to_list() == [0]
    assert "no series" in result.warnings[0]
