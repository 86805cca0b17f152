"""Scenarios as configured: what they may say, what they refuse, and how old plans read."""

from datetime import date

import duckdb
import pytest

from sop.config import Config, Scenario
from sop.scenarios import check_names, scenario_params
from sop.warehouse import require_same_columns

PLAN_MONTH = date(2026, 11, 1)


@pytest.mark.parametrize(
    ("arguments", "words"),
    [
        ({"name": "base"}, "not base"),
        ({"name": "plant b outage"}, "use a word"),
        ({"name": "collapse", "demand_change_pct": -1.0}, "leaves nothing"),
        ({"name": "late", "capacity_months": (4, 2)}, "capacity_months"),
    ],
)
def test_a_scenario_that_cannot_mean_anything_is_refused(arguments: dict, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        Scenario(description="", **arguments)


def test_two_scenarios_may_not_share_a_name() -> None:
    with pytest.raises(ValueError, match="repeat"):
        Config(scenarios=(Scenario("promo", ""), Scenario("promo", "")))


def test_capacity_months_count_from_the_plan_month() -> None:
    outage = Scenario("outage", "", capacity_change_pct=-0.5, capacity_plant="P1", capacity_months=(2, 4))
    params = scenario_params(outage, PLAN_MONTH)
    assert (params["capacity_from"], params["capacity_to"]) == (date(2026, 12, 1), date(2027, 2, 1))
    assert params["capacity_factor"] == 0.5
    assert scenario_params(None, PLAN_MONTH)["scenario"] == "base"


def test_a_scenario_naming_an_unknown_family_or_plant_lists_the_known_ones(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        "create table stg_sales as select $m::date as plan_month, 'Garden' as product_family", {"m": PLAN_MONTH}
    )
    con.execute("create table stg_capacity as select $m::date as plan_month, 'P1' as plant", {"m": PLAN_MONTH})
    check_names(con, (Scenario("fine", "", demand_family="Garden", capacity_plant="P1"),), PLAN_MONTH)
    with pytest.raises(
        ValueError, match=r"demand_family 'Gardens' is not in this month's extracts \(there are: Garden\)"
    ):
        check_names(con, (Scenario("typo", "", demand_family="Gardens"),), PLAN_MONTH)
    with pytest.raises(ValueError, match=r"capacity_plant 'P2'.*there are: P1"):
        check_names(con, (Scenario("typo", "", capacity_plant="P2"),), PLAN_MONTH)


def test_a_plan_written_before_scenarios_reads_as_the_base_plan(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("create table consolidated_plan as select date '2026-10-01' as plan_month, 10.0 as forecast_units")
    written = "select date '2026-11-01' as plan_month, 12.0 as forecast_units, 'promotion' as scenario"
    require_same_columns(con, "consolidated_plan", written, {})
    assert con.execute("select scenario from consolidated_plan").fetchall() == [("base",)]
