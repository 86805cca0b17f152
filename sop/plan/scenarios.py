"""Scenario plans: the SQL parameters that make `int_supply_inputs` (capacity) and `int_planned_months`
(demand and price) plan the base or a what-if (`sop.core.config.Scenario`)."""

from __future__ import annotations

from datetime import date
from typing import Any

import duckdb

from sop.core import tables
from sop.core.config import Scenario
from sop.core.months import add_months

BASE = "base"
BASE_DESCRIPTION = "The plan: the forecast against the extracts' capacity, stock, prices and budget."


def scenario_params(scenario: Scenario | None, plan_month: date) -> dict[str, Any]:
    """The base plan for None; every factor is 1 where the scenario changes nothing."""
    if scenario is None:
        return {
            "scenario": BASE,
            "scenario_description": BASE_DESCRIPTION,
            "demand_factor": 1.0,
            "demand_family": None,
            "capacity_factor": 1.0,
            "capacity_plant": None,
            "capacity_from": None,
            "capacity_to": None,
            "price_factor": 1.0,
            "price_family": None,
        }
    first, last = scenario.capacity_months or (None, None)
    return {
        "scenario": scenario.name,
        "scenario_description": scenario.description,
        "demand_factor": 1.0 + scenario.demand_change_pct,
        "demand_family": scenario.demand_family,
        "capacity_factor": 1.0 + scenario.capacity_change_pct,
        "capacity_plant": scenario.capacity_plant,
        "capacity_from": None if first is None else add_months(plan_month, first - 1),
        "capacity_to": None if last is None else add_months(plan_month, last - 1),
        "price_factor": 1.0 + scenario.price_change_pct,
        "price_family": scenario.price_family,
    }


def usable_scenarios(
    con: duckdb.DuckDBPyConnection, scenarios: tuple[Scenario, ...], plan_month: date
) -> tuple[tuple[Scenario, ...], list[str]]:
    """The scenarios the month's extracts can carry, and why each other one is left out: a family
    or plant the month does not have would plan the base again under another name. An optional
    what-if never stops the base plan."""
    families = _values(con, f"select distinct product_family from {tables.STG_SALES} where plan_month = $m", plan_month)
    plants = _values(con, f"select distinct plant from {tables.STG_CAPACITY} where plan_month = $m", plan_month)
    usable, skipped = [], []
    for scenario in scenarios:
        unknown = [
            f"{field} {value!r} is not in this month's extracts (there are: {', '.join(sorted(known))})"
            for field, value, known in (
                ("demand_family", scenario.demand_family, families),
                ("price_family", scenario.price_family, families),
                ("capacity_plant", scenario.capacity_plant, plants),
            )
            if value is not None and value not in known
        ]
        if unknown:
            skipped.append(f"scenario {scenario.name} left out: {'; '.join(unknown)}. Fix it in Config.scenarios.")
        else:
            usable.append(scenario)
    return tuple(usable), skipped


def _values(con: duckdb.DuckDBPyConnection, sql: str, plan_month: date) -> set[str]:
    return {row[0] for row in con.execute(sql, {"m": plan_month}).fetchall()}
