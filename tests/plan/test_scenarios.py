"""Scenarios as configured: what they may say, what they refuse, and how old plans read."""

from datetime import date
from pathlib import Path

import duckdb
import pytest

from sop.core.config import Config, Scenario
from sop.core.warehouse import require_same_columns
from sop.plan.scenarios import scenario_params, usable_scenarios
from sop.sample_data import write_sample_extracts
from tests.deployment import MONTH, NEXT_MONTH, SMALL, new_deployment, published_deployment

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


def test_a_scenario_naming_an_unknown_family_or_plant_is_left_out_with_the_known_ones(
    con: duckdb.DuckDBPyConnection,
) -> None:
    con.execute(
        "create table stg_sales as select $m::date as plan_month, 'Garden' as product_family", {"m": PLAN_MONTH}
    )
    con.execute("create table stg_capacity as select $m::date as plan_month, 'P1' as plant", {"m": PLAN_MONTH})
    fine = Scenario("fine", "", demand_family="Garden", capacity_plant="P1")
    family_typo, plant_typo = Scenario("typo", "", demand_family="Gardens"), Scenario("typo2", "", capacity_plant="P2")
    usable, skipped = usable_scenarios(con, (fine, family_typo, plant_typo), PLAN_MONTH)
    assert usable == (fine,)
    assert (
        "scenario typo left out: demand_family 'Gardens' is not in this month's extracts (there are: Garden)"
        in (skipped[0])
    )
    assert "capacity_plant 'P2'" in skipped[1] and "there are: P1" in skipped[1]


def test_a_plan_written_before_scenarios_reads_as_the_base_plan(bare_con: duckdb.DuckDBPyConnection) -> None:
    con = bare_con
    con.execute("create table consolidated_plan as select date '2026-10-01' as plan_month, 10.0 as forecast_units")
    written = "select date '2026-11-01' as plan_month, 12.0 as forecast_units, 'promotion' as scenario"
    require_same_columns(con, "consolidated_plan", written, {})
    assert con.execute("select scenario from consolidated_plan").fetchall() == [("base",)]


CONSENSUS_COLUMNS = ("consensus_units", "adjustment_units", "consensus_lo_80", "consensus_hi_80")


def test_a_warehouse_from_before_scenarios_plans_its_next_month(tmp_path: Path) -> None:
    deployment = published_deployment(tmp_path)
    with duckdb.connect(deployment.storage.warehouse) as con:
        for table in ("consolidated_plan", "financial_outlook", "risk_register"):
            con.execute(f"delete from {table} where scenario != 'base'")
            con.execute(f"alter table {table} drop column scenario")
        # Columns added since (all at the end) go too: the warehouse is as that version left it.
        newer = ("scenario_description", "excess_inventory_units", *CONSENSUS_COLUMNS)
        for column in newer:
            con.execute(f"alter table consolidated_plan drop column {column}")
        for column in ("prev_consensus_units", "consensus_units", "change_consensus_units", "change_adjustment_units"):
            con.execute(f"alter table plan_changes drop column {column}")
        for column in ("action_id", "action_owner", "action_due_month"):
            con.execute(f"alter table risk_register drop column {column}")
    write_sample_extracts(deployment.root / "extracts", NEXT_MONTH, SMALL)

    assert deployment.run(NEXT_MONTH).success
    assert deployment.table("plan_changes", NEXT_MONTH).height > 0
    assert set(deployment.table("consolidated_plan", MONTH)["scenario"]) == {"base"}
    next_plan = deployment.plan(NEXT_MONTH)
    assert next_plan["prev_plan_units"].null_count() < next_plan.height
    # Last month's plan demand was its forecast: the plan before the demand review existed.
    changes = deployment.table("plan_changes", NEXT_MONTH)
    assert changes["prev_consensus_units"].null_count() == changes["prev_forecast_units"].null_count()


def test_a_scenario_naming_what_the_month_lacks_is_left_out_and_the_base_plan_goes_on(tmp_path: Path) -> None:
    settings = tmp_path / "sop.toml"
    settings.write_text(
        '[[scenarios]]\nname = "typo"\ndescription = ""\ncapacity_plant = "Plant-Z"\ncapacity_change_pct = -0.5\n'
    )
    deployment = new_deployment(tmp_path, settings=settings)
    result = deployment.run()
    assert result.success
    assert set(deployment.table("consolidated_plan")["scenario"]) == {"base"}
