"""The supply plan's linear program on cases small enough to solve by hand."""

from datetime import date

import numpy as np
import polars as pl
import pytest

from sop.core.config import FamilyCosts, PlanConfig
from sop.plan.supply import LESSER_OF, LP, plan_family, plan_supply

CONFIG = PlanConfig()


def test_a_peak_above_capacity_is_built_ahead_in_the_slack_months_before_it() -> None:
    # Capacity 25 a month; demand 10, 15, 30, 35: the peak months need 5 + 10 more than they can
    # make. February's 10 of slack covers most of it, January gives the last 5: as late as possible.
    supply = plan_family(np.array([10.0, 15.0, 30.0, 35.0]), np.full(4, 25.0), 0.0, 0.0, CONFIG)
    assert supply.method == LP
    np.testing.assert_allclose(supply.shipped, [10.0, 15.0, 30.0, 35.0])
    np.testing.assert_allclose(supply.production, [15.0, 25.0, 25.0, 25.0])
    np.testing.assert_allclose(supply.inventory, [5.0, 15.0, 10.0, 0.0])


def test_pre_building_starts_no_earlier_than_it_must() -> None:
    # 10 short in the last month and 10 of slack in each month before: build only in the one before.
    supply = plan_family(np.array([10.0, 10.0, 30.0]), np.full(3, 20.0), 0.0, 0.0, CONFIG)
    np.testing.assert_allclose(supply.production, [10.0, 20.0, 20.0])
    np.testing.assert_allclose(supply.inventory, [0.0, 10.0, 0.0])


def test_a_family_short_in_every_month_shows_its_unmet_demand() -> None:
    supply = plan_family(np.full(3, 30.0), np.full(3, 20.0), 0.0, 0.0, CONFIG)
    np.testing.assert_allclose(supply.production, [20.0, 20.0, 20.0])
    np.testing.assert_allclose(np.full(3, 30.0) - supply.shipped, [10.0, 10.0, 10.0])
    np.testing.assert_allclose(supply.inventory, [0.0, 0.0, 0.0])


def test_a_short_family_spends_its_safety_stock_rather_than_lose_a_sale() -> None:
    # Demand 30, capacity 20, 15 on hand, safety stock 5: every unit in stock ships, nearest
    # months first; unmet demand costs more than any months below safety stock.
    supply = plan_family(np.full(3, 30.0), np.full(3, 20.0), 15.0, 5.0, CONFIG)
    np.testing.assert_allclose(supply.shipped, [30.0, 25.0, 20.0])
    np.testing.assert_allclose(supply.inventory, [5.0, 0.0, 0.0])


def test_a_long_horizon_never_holds_back_a_sale_to_rebuild_safety_stock() -> None:
    supply = plan_family(np.full(18, 10.0), np.full(18, 10.0), 0.0, 10.0, CONFIG)
    np.testing.assert_allclose(supply.shipped, np.full(18, 10.0))


def test_stock_on_hand_is_not_rebuilt_beyond_safety_stock() -> None:
    supply = plan_family(np.full(3, 10.0), np.full(3, 50.0), 40.0, 5.0, CONFIG)
    np.testing.assert_allclose(supply.production, [0.0, 0.0, 0.0])
    np.testing.assert_allclose(supply.inventory, [30.0, 20.0, 10.0])


def test_when_the_solver_fails_the_lesser_of_rule_plans_and_says_so() -> None:
    # A negative capacity makes the program infeasible: the solver gives up. (A plan makes no
    # negative quantity, whatever its inputs.)
    supply = plan_family(np.array([10.0, 20.0]), np.array([15.0, -1.0]), 8.0, 0.0, CONFIG)
    assert supply.method == LESSER_OF
    np.testing.assert_allclose(supply.production, [10.0, 0.0])


def test_every_family_is_planned_and_supply_never_exceeds_capacity() -> None:
    rng = np.random.default_rng(3)
    months = pl.date_range(pl.date(2026, 11, 1), pl.date(2028, 4, 1), interval="1mo", eager=True)
    inputs = pl.concat(
        [
            pl.DataFrame(
                {
                    "product_family": family,
                    "month": months,
                    "demand_units": rng.uniform(50, 150, months.len()),
                    "capacity_units": rng.uniform(60, 120, months.len()),
                    "opening_units": 100.0,
                    "safety_stock_units": 30.0,
                }
            )
            for family in ("A", "B", "C")
        ]
    )
    plan = plan_supply(inputs, CONFIG).join(inputs, on=["product_family", "month", "capacity_units"])
    assert plan.height == inputs.height
    assert set(plan["supply_method"]) == {LP}
    assert (plan["supply_units"] <= plan["capacity_units"] + 1e-9).all()
    assert (plan["shipped_units"] <= plan["demand_units"] + 1e-9).all()
    assert (plan["projected_inventory_units"] >= -1e-9).all()


@pytest.mark.parametrize("months", [0, 1])
def test_a_horizon_of_zero_or_one_month_plans(months: int) -> None:
    supply = plan_family(np.full(months, 5.0), np.full(months, 3.0), 1.0, 0.0, CONFIG)
    assert supply.production.size == months


def test_a_family_with_costs_of_its_own_is_planned_with_them() -> None:
    # Two families alike: stock above capacity later, a safety stock of 40. Holding stock costing more
    # than a gap below safety stock, B's plan keeps less of it.
    months = pl.date_range(date(2026, 11, 1), date(2027, 4, 1), interval="1mo", eager=True)
    inputs = pl.concat(
        pl.DataFrame(
            {
                "product_family": family,
                "month": months,
                "demand_units": [20.0, 20.0, 20.0, 60.0, 60.0, 20.0],
                "capacity_units": 40.0,
                "opening_units": 50.0,
                "safety_stock_units": 40.0,
            }
        )
        for family in ("A", "B")
    )
    config = PlanConfig(families={"B": FamilyCosts(holding_cost=50.0)})
    plan = plan_supply(inputs, config)
    stock = dict(plan.group_by("product_family").agg(pl.col("projected_inventory_units").sum()).iter_rows())
    shipped = dict(plan.group_by("product_family").agg(pl.col("shipped_units").sum()).iter_rows())
    assert shipped["A"] == pytest.approx(shipped["B"])  # unmet demand still comes first
    assert stock["B"] < stock["A"] - 1


def test_a_quantity_within_round_off_of_its_bound_or_of_zero_is_exactly_that() -> None:
    # A negative capacity in the last month makes the program infeasible: the lesser-of rule plans.
    # Stock covers what capacity cannot make: 11 - 0.1 left after November, 10.9 - 10.9 after
    # December, which floating point leaves a hair above 0; and the capacity of -1 would make and
    # ship -1.
    supply = plan_family(np.array([10.1, 20.9, 0.0]), np.array([10.0, 10.0, -1.0]), 11.0, 0.0, CONFIG)
    assert supply.method == LESSER_OF
    assert supply.shipped.tolist() == [10.1, 20.9, 0.0]
    assert supply.production.tolist() == [10.0, 10.0, 0.0]
    assert supply.inventory.tolist() == [10.9, 0.0, 0.0]
    assert supply.prebuild.tolist() == [0.0, 0.0, 0.0]


def test_an_lp_plan_ships_exactly_the_demand_it_meets_and_makes_exactly_its_capacity() -> None:
    rng = np.random.default_rng(7)
    for scale in (1.0, 1e3, 1e7):
        demand = rng.uniform(50, 150, 18) * scale * 1.1
        capacity = rng.uniform(60, 120, 18) * scale * 1.3
        supply = plan_family(demand, capacity, 100.0 * scale, 30.0 * scale, CONFIG)
        assert supply.method == LP
        met = np.isclose(supply.shipped, demand, rtol=1e-9, atol=0)
        assert (supply.shipped[met] == demand[met]).all()
        full = np.isclose(supply.production, capacity, rtol=1e-9, atol=0)
        assert (supply.production[full] == capacity[full]).all()
        for quantity in (supply.production, supply.shipped, supply.inventory, supply.prebuild):
            assert (quantity >= 0).all()
            assert not ((quantity > 0) & (quantity <= supply.noise)).any()
