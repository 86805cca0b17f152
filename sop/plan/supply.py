"""The constrained supply plan of each family: an aggregate production plan, as a linear program.

Per family over the horizon, with months t = 1..T:

    production p_t   0 <= p_t <= capacity_t        (the family's plants together)
    shipments  s_t   0 <= s_t <= demand_t          (the forecast)
    stock      I_t = I_{t-1} + p_t - s_t >= 0      (I_0: the stock on hand at the end of M-1)
    shortfall  b_t >= safety_stock - I_t, b_t >= 0 (stock below safety stock)

Unmet demand costs most, then falling below safety stock, then holding stock, in that strict
order, so it is solved in two steps (HiGHS, through `scipy.optimize.linprog`):

    1. maximize  sum_t premium_t s_t                 (ship all that can be shipped)
    2. minimize  sum_t below_safety_cost b_t + holding_cost I_t,
       shipping as much as step 1 found

A single weighted objective cannot keep that order: over a long horizon, months of stock below
safety stock add up to more than one unit of unmet demand, and the plan would hold back sales to
rebuild stock. The premium (1 to 1 + `NEAR_MONTH_PREMIUM`, falling with the months ahead) serves
nearer months first when a shortfall cannot be avoided. So the plan builds ahead of a peak where
months before it have slack, as late as it can, spends safety stock rather than lose a sale, and
leaves unmet only what no plan could ship. Should the solver fail, the lesser-of rule (supply =
min(demand, capacity), stock covering shortfalls until it runs out) plans that family instead,
and `supply_method` says so. Either plan's quantities are then read as people read them: one
within the solver's round-off of its bound (the demand, the capacity, safety stock) or of zero
is exactly that, and none is negative, so that unmet demand (demand minus shipments) is exactly
0 wherever all of it ships.

The plants of a family are interchangeable here: the extracts carry no plant-specific cost or
family-to-plant constraint beyond each plant's capacity, so only their total matters.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl
from scipy.optimize import linprog
from scipy.sparse import csr_matrix, diags, eye, hstack

from sop.core.config import PlanConfig

LP, LESSER_OF = "lp", "lesser_of"
NOISE_UNITS = 1e-6
"""Solver round-off: a plan quantity (or a difference of two) this small is zero, not a decision."""
NOISE_SHARE = 1e-9
"""Round-off grows with the numbers: within this share of a family's largest quantity is round-off too."""
NEAR_MONTH_PREMIUM = 0.01
"""Unmet demand in the first month costs this much more (relatively) than in the last."""


@dataclass(frozen=True)
class FamilySupply:
    production: np.ndarray
    shipped: np.ndarray
    inventory: np.ndarray
    method: str
    noise: float = NOISE_UNITS
    """The family's round-off: quantities (and differences of two) within it of each other are equal."""

    @property
    def prebuild(self) -> np.ndarray:
        """Made beyond the month's shipments (none where the month draws on stock)."""
        return _clean(self.production - self.shipped, self.noise)


def plan_family(
    demand: np.ndarray, capacity: np.ndarray, opening: float, safety_stock: float, config: PlanConfig
) -> FamilySupply:
    """The cheapest feasible plan of one family, or the lesser-of rule if the solver fails."""
    months = demand.size
    if months == 0:
        return FamilySupply(np.zeros(0), np.zeros(0), np.zeros(0), LP)
    # Variables, stacked: production, shipments, stock, shortfall below safety stock.
    identity = eye(months, format="csr")
    none = csr_matrix((months, months))
    previous = diags(np.ones(months - 1), -1, shape=(months, months), format="csr")
    # Stock balance: I_t - I_{t-1} - p_t + s_t = 0, with I_0 on the right-hand side.
    balance = hstack([-identity, identity, identity - previous, none], format="csr")
    opening_stock = np.zeros(months)
    opening_stock[0] = opening
    # Shortfall: -I_t - b_t <= -safety_stock.
    shortfall = hstack([none, none, -identity, -identity], format="csr")
    bounds = (
        [(0.0, float(limit)) for limit in capacity]
        + [(0.0, float(limit)) for limit in demand]
        + [(0.0, None)] * (2 * months)
    )
    zero = np.zeros(months)
    premium = 1 + NEAR_MONTH_PREMIUM * np.arange(months - 1, -1, -1) / max(months - 1, 1)
    structure = {"A_ub": shortfall, "b_ub": np.full(months, -safety_stock), "A_eq": balance, "b_eq": opening_stock}
    noise = _round_off(demand, capacity, opening, safety_stock)
    most = linprog(np.concatenate([zero, -premium, zero, zero]), bounds=bounds, method="highs", **structure)
    if most.status != 0:
        return _as_read(lesser_of(demand, capacity, opening), demand, capacity, safety_stock, noise)
    # Step 2 ships what step 1 found, and only chooses when to make it. Held to step 1's numbers
    # exactly, a family of large quantities may find no plan at all: then within round-off of them.
    stock_cost = np.concatenate(
        [zero, zero, np.full(months, config.holding_cost), np.full(months, config.below_safety_stock_cost)]
    )
    for slack in (0.0, noise):
        shipped = [(max(0.0, float(units) - slack), float(units)) for units in most.x[months : 2 * months]]
        fixed = bounds[:months] + shipped + bounds[2 * months :]
        cheapest = linprog(stock_cost, bounds=fixed, method="highs", **structure)
        if cheapest.status == 0:
            break
    else:
        return _as_read(lesser_of(demand, capacity, opening), demand, capacity, safety_stock, noise)
    solution = cheapest.x
    planned = FamilySupply(solution[:months], solution[months : 2 * months], solution[2 * months : 3 * months], LP)
    return _as_read(planned, demand, capacity, safety_stock, noise)


def lesser_of(demand: np.ndarray, capacity: np.ndarray, opening: float) -> FamilySupply:
    """Supply is the lesser of demand and capacity; stock covers shortfalls until it runs out."""
    production = np.minimum(demand, capacity)
    inventory = np.maximum(0.0, opening - np.cumsum(demand - production))
    drawdown = np.concatenate([[opening], inventory[:-1]]) - inventory
    return FamilySupply(production, production + drawdown, inventory, LESSER_OF)


def plan_supply(inputs: pl.DataFrame, config: PlanConfig) -> pl.DataFrame:
    """The supply plan of every family from `inputs` (product_family, month, demand_units,
    capacity_units, opening_units, safety_stock_units: one row per family and month)."""
    frames = []
    for (family,), rows in inputs.sort("product_family", "month").partition_by("product_family", as_dict=True).items():
        demand = rows["demand_units"].to_numpy()
        supply = plan_family(
            demand,
            rows["capacity_units"].to_numpy(),
            float(rows["opening_units"][0]),
            float(rows["safety_stock_units"][0]),
            config.for_family(family),
        )
        frames.append(
            rows.select("product_family", "month", "demand_units", "capacity_units", "safety_stock_units").with_columns(
                pl.Series("supply_units", supply.production),
                pl.Series("shipped_units", supply.shipped),
                pl.Series("projected_inventory_units", supply.inventory),
                pl.Series("prebuild_units", supply.prebuild),
                pl.lit(supply.method).alias("supply_method"),
            )
        )
    if not frames:
        return pl.DataFrame(
            schema={
                "product_family": pl.String,
                "month": pl.Date,
                **dict.fromkeys(
                    [
                        "demand_units",
                        "capacity_units",
                        "safety_stock_units",
                        "supply_units",
                        "shipped_units",
                        "projected_inventory_units",
                        "prebuild_units",
                    ],
                    pl.Float64,
                ),
                "supply_method": pl.String,
            }
        )
    return pl.concat(frames)


def _round_off(demand: np.ndarray, capacity: np.ndarray, opening: float, safety_stock: float) -> float:
    """The family's round-off: NOISE_SHARE of its largest quantity, at least NOISE_UNITS."""
    largest = max(
        abs(opening), abs(safety_stock), float(np.abs(demand).max(initial=0)), float(np.abs(capacity).max(initial=0))
    )
    return max(NOISE_UNITS, NOISE_SHARE * largest)


def _as_read(
    supply: FamilySupply, demand: np.ndarray, capacity: np.ndarray, safety_stock: float, noise: float
) -> FamilySupply:
    """The plan as people read it. The solver's numbers are exact only to its round-off, so a
    quantity within round-off (`noise`) of the bound it meets is that bound: shipments the demand
    (so that unmet demand, demand minus shipments in int_planned_months, is exactly 0 where all
    ships), production the capacity, stock the safety stock; and one within round-off of zero, or
    below it, is 0."""
    return FamilySupply(
        _clean(_snap(supply.production, capacity, noise), noise),
        _clean(_snap(supply.shipped, demand, noise), noise),
        _clean(_snap(supply.inventory, np.full(demand.size, safety_stock), noise), noise),
        supply.method,
        noise,
    )


def _snap(values: np.ndarray, bounds: np.ndarray, noise: float) -> np.ndarray:
    return np.where(np.abs(values - bounds) <= noise, bounds, values)


def _clean(values: np.ndarray, noise: float = NOISE_UNITS) -> np.ndarray:
    return np.where(values > noise, values, 0.0)
