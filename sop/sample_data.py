"""Deterministic, realistic sample extracts in the format of input contract v1.

Demand per sku x region is a level x region share x family trend x family season, drawn with
Poisson noise; about 10% of skus are intermittent. Every series is simulated over one fixed
calendar (2015-01 to 2040-12) from the seed alone, then sliced to the plan month's history, so
the same spec gives every plan month a consistent history (backfills, plan-over-plan).

The families play fixed roles, so that a run always has something to show:
- the first family ("Garden") is strongly seasonal, with capacity that its peak exceeds while the
  months before have slack;
- the second family ("Power Tools") is short of capacity in every month;
- the third family ("Hand Tools") has a budget about 18% above its demand, so it misses budget;
- the last sku is launched 4 months before the anchor month, and the one before it was
  discontinued 9 months before the anchor.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

import numpy as np
import polars as pl

from sop.months import add_months, month_label, parse_month

FAMILIES = ("Garden", "Power Tools", "Hand Tools", "Fasteners", "Safety Gear", "Paint", "Plumbing", "Lighting")
FAMILY_PRICE = (35.0, 120.0, 25.0, 6.0, 18.0, 22.0, 14.0, 40.0)
REGIONS = ("North", "South", "East", "West", "Central", "Islands", "Export", "Online")
CALENDAR_START = date(2015, 1, 1)
CALENDAR_MONTHS = 26 * 12
TIGHT_FAMILY, SHORT_FAMILY, MISSED_BUDGET_FAMILY = 0, 1, 2
CAPACITY_FACTOR = {TIGHT_FAMILY: 1.08, SHORT_FAMILY: 0.85}
COMFORTABLE_CAPACITY = 1.3
BUDGET_GROWTH, MISSED_BUDGET_GROWTH = 1.0, 1.18
AVERAGE_DISCOUNT = 0.04
LAUNCH_MONTHS_BEFORE_ANCHOR, DISCONTINUED_MONTHS_BEFORE_ANCHOR = 4, 9


@dataclass(frozen=True)
class SampleSpec:
    n_skus: int = 300
    n_regions: int = 4
    n_families: int = 5
    n_plants: int = 3
    n_locations: int = 2
    history_years: int = 4
    capacity_months: int = 24
    seed: int = 20261124
    anchor_month: str | None = None
    """Launch and discontinuation are placed relative to this month (default: the plan month)."""
    file_format: Literal["csv", "parquet"] = "csv"


@dataclass(frozen=True)
class _World:
    """The simulated company: everything that does not depend on the plan month."""

    sku_family: np.ndarray
    sku_price: np.ndarray
    expected: np.ndarray
    """Noise-free demand, shape (skus, regions, calendar months)."""
    units: np.ndarray
    """Drawn demand, same shape."""
    family_trend: np.ndarray
    """Trend factor per family and calendar month, shape (families, calendar months)."""
    discount: np.ndarray


def _calendar_index(month: date) -> int:
    return (month.year - CALENDAR_START.year) * 12 + month.month - CALENDAR_START.month


def _simulate(spec: SampleSpec, anchor: date) -> _World:
    rng = np.random.default_rng(spec.seed)
    n_skus, n_regions, n_months = spec.n_skus, spec.n_regions, CALENDAR_MONTHS
    sku_family = np.arange(n_skus) % spec.n_families
    level = rng.lognormal(mean=3.0, sigma=1.0, size=n_skus)
    share = rng.dirichlet(np.ones(n_regions) * 3, size=n_skus)
    sku_price = np.array(FAMILY_PRICE)[sku_family] * rng.lognormal(0.0, 0.2, size=n_skus)
    growth = rng.uniform(0.0, 0.06, size=spec.n_families)
    amplitude = np.where(np.arange(spec.n_families) == TIGHT_FAMILY, 0.6, rng.uniform(0.05, 0.3, spec.n_families))
    peak = np.where(np.arange(spec.n_families) == TIGHT_FAMILY, 4, rng.integers(0, 12, spec.n_families))
    t = np.arange(n_months)
    season = 1 + amplitude[:, None] * np.cos(2 * np.pi * ((t % 12)[None, :] - peak[:, None]) / 12)
    trend = (1 + growth[:, None]) ** ((t - _calendar_index(date(2020, 1, 1)))[None, :] / 12)
    family_shape = season * trend
    expected = level[:, None, None] * share[:, :, None] * family_shape[sku_family][:, None, :]

    intermittent = rng.random(n_skus) < 0.1
    occurs = rng.random((n_skus, n_regions, n_months)) < 0.3
    draws = rng.poisson(np.where(intermittent[:, None, None], expected / 0.3, expected))
    units = np.where(intermittent[:, None, None] & ~occurs, 0, draws).astype(np.float64)
    discount = rng.uniform(0.0, 2 * AVERAGE_DISCOUNT, size=(n_skus, n_regions, n_months))

    launch, discontinued = n_skus - 1, n_skus - 2
    launch_at = _calendar_index(add_months(anchor, -LAUNCH_MONTHS_BEFORE_ANCHOR))
    expected[launch, :, :launch_at] = 0
    units[launch, :, :launch_at] = 0
    units[launch, :, launch_at:] = np.maximum(units[launch, :, launch_at:], 1)
    stop_at = _calendar_index(add_months(anchor, -DISCONTINUED_MONTHS_BEFORE_ANCHOR))
    expected[discontinued, :, stop_at:] = 0
    units[discontinued, :, stop_at:] = 0
    return _World(sku_family, sku_price, expected, units, family_trend=trend, discount=discount)


def _month_column(months: list[date], spec: SampleSpec) -> pl.Series:
    dates = pl.Series("month", months, dtype=pl.Date)
    return dates if spec.file_format == "parquet" else dates.dt.strftime("%Y-%m")


def _names(prefix: str, count: int) -> list[str]:
    return [
        f"{prefix}-{chr(ord('A') + index)}" if prefix == "Plant" else f"{prefix}-{index + 1}" for index in range(count)
    ]


def _sales(world: _World, spec: SampleSpec, plan_month: date) -> pl.DataFrame:
    first = _calendar_index(add_months(plan_month, -12 * spec.history_years))
    last = _calendar_index(plan_month)
    units = world.units[:, :, first:last]
    sku, region, month = np.nonzero(units > 0)
    sold = units[sku, region, month]
    revenue = sold * world.sku_price[sku] * (1 - world.discount[sku, region, first + month])
    months = [add_months(CALENDAR_START, first + offset) for offset in range(last - first)]
    return pl.DataFrame(
        {
            "month": _month_column([months[offset] for offset in month], spec),
            "sku": [f"SKU-{index + 1:05d}" for index in sku],
            "product_family": [FAMILIES[family] for family in world.sku_family[sku]],
            "region": [REGIONS[index] for index in region],
            "units": sold.astype(np.int64),
            "net_revenue": np.round(revenue, 2),
        }
    ).sort("month", "sku", "region")


def _inventory(world: _World, spec: SampleSpec, plan_month: date, sold_skus: np.ndarray) -> pl.DataFrame:
    rng = np.random.default_rng([spec.seed, _calendar_index(plan_month)])
    now = _calendar_index(plan_month)
    monthly = world.expected[:, :, now - 3 : now].sum(axis=1).mean(axis=1)[sold_skus]
    cover = rng.uniform(0.5, 2.0, size=sold_skus.size)
    split = rng.dirichlet(np.ones(spec.n_locations), size=sold_skus.size)
    in_stock = rng.random((sold_skus.size, spec.n_locations)) > 0.1
    discontinued = sold_skus == spec.n_skus - 2
    base = np.where(discontinued, world.expected[spec.n_skus - 2].sum(axis=0).max() * 0.5, monthly * cover)
    on_hand = np.round(base[:, None] * split * in_stock)
    safety = np.round(monthly[:, None] * 0.5 / spec.n_locations * np.ones(spec.n_locations))
    cost = world.sku_price[sold_skus] * rng.uniform(0.5, 0.7, size=sold_skus.size)
    return pl.DataFrame(
        {
            "snapshot_month": _month_column([add_months(plan_month, -1)] * on_hand.size, spec),
            "sku": np.repeat([f"SKU-{index + 1:05d}" for index in sold_skus], spec.n_locations),
            "location": _names("DC", spec.n_locations) * sold_skus.size,
            "on_hand_units": on_hand.ravel().astype(np.int64),
            "safety_stock_units": safety.ravel().astype(np.int64),
            "unit_cost": np.round(np.repeat(cost, spec.n_locations), 2),
        }
    ).sort("sku", "location")


def _family_expected(world: _World, spec: SampleSpec, first: int, count: int) -> np.ndarray:
    """Noise-free family demand, shape (families, months)."""
    per_sku = world.expected[:, :, first : first + count].sum(axis=1)
    return np.stack([per_sku[world.sku_family == family].sum(axis=0) for family in range(spec.n_families)])


def _capacity(world: _World, spec: SampleSpec, plan_month: date) -> pl.DataFrame:
    start = _calendar_index(plan_month)
    demand = _family_expected(world, spec, start, spec.capacity_months)
    average = demand[:, :12].mean(axis=1)
    plants = _names("Plant", spec.n_plants)
    rows = []
    for family in range(spec.n_families):
        flat = average[family] * CAPACITY_FACTOR.get(family, COMFORTABLE_CAPACITY)
        made_in = {family % spec.n_plants: 0.6, (family + 1) % spec.n_plants: 0.4} if family % 2 == 0 else None
        for plant, share in (made_in or {family % spec.n_plants: 1.0}).items():
            for offset in range(spec.capacity_months):
                rows.append((add_months(plan_month, offset), plants[plant], FAMILIES[family], round(flat * share)))
    frame = pl.DataFrame(rows, schema=["month", "plant", "product_family", "capacity_units"], orient="row")
    return frame.with_columns(_month_column(frame["month"].to_list(), spec)).sort("month", "plant", "product_family")


def _financials(world: _World, spec: SampleSpec, plan_month: date) -> pl.DataFrame:
    first_month = date(add_months(plan_month, -1).year, 1, 1)
    first = _calendar_index(first_month)
    count = _calendar_index(plan_month) + spec.capacity_months - first
    demand = _family_expected(world, spec, first, count)
    weights = world.expected[:, :, first : first + 12].sum(axis=(1, 2))
    rows = []
    # A budget is set at the start of its year: the trend is frozen at each year's January.
    months = [add_months(first_month, offset) for offset in range(count)]
    januaries = np.array([_calendar_index(date(month.year, 1, 1)) for month in months])
    frozen = world.family_trend[:, januaries] / world.family_trend[:, first : first + count]
    demand = demand * frozen
    for family in range(spec.n_families):
        members = world.sku_family == family
        list_price = np.average(world.sku_price[members], weights=weights[members] + 1e-9)
        price = list_price * (1 - AVERAGE_DISCOUNT)
        growth = MISSED_BUDGET_GROWTH if family == MISSED_BUDGET_FAMILY else BUDGET_GROWTH
        for offset in range(count):
            units = round(demand[family, offset] * growth)
            rows.append(
                (
                    add_months(first_month, offset),
                    FAMILIES[family],
                    units,
                    round(units * price, 2),
                    round(units * list_price * 0.6, 2),
                )
            )
    frame = pl.DataFrame(
        rows, schema=["month", "product_family", "budget_units", "budget_revenue", "budget_cogs"], orient="row"
    )
    return frame.with_columns(_month_column(frame["month"].to_list(), spec)).sort("month", "product_family")


def write_sample_extracts(extracts_root: Path, plan_month: str | date, spec: SampleSpec = SampleSpec()) -> Path:
    """Writes <extracts_root>/<YYYY-MM>/{sales,inventory,capacity,financials}.<csv|parquet>; returns the folder."""
    if not 1 <= spec.n_families <= len(FAMILIES) or not 1 <= spec.n_regions <= len(REGIONS):
        raise ValueError(f"n_families must be 1..{len(FAMILIES)} and n_regions 1..{len(REGIONS)}")
    month = parse_month(plan_month)
    anchor = parse_month(spec.anchor_month) if spec.anchor_month else month
    world = _simulate(spec, anchor)
    sales = _sales(world, spec, month)
    sold_skus = np.array(sorted({int(sku[4:]) - 1 for sku in sales["sku"].unique()}), dtype=np.int64)
    extracts = {
        "sales": sales,
        "inventory": _inventory(world, spec, month, sold_skus),
        "capacity": _capacity(world, spec, month),
        "financials": _financials(world, spec, month),
    }
    folder = Path(extracts_root) / month_label(month)
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in extracts.items():
        if spec.file_format == "parquet":
            frame.write_parquet(folder / f"{name}.parquet")
        else:
            frame.write_csv(folder / f"{name}.csv")
    return folder


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Write sample S&OP extracts for one plan month.")
    parser.add_argument("--month", required=True, help="plan month YYYY-MM")
    parser.add_argument("--out", type=Path, default=Path("data/extracts"), help="extracts root")
    parser.add_argument("--skus", type=int, default=SampleSpec.n_skus)
    parser.add_argument("--regions", type=int, default=SampleSpec.n_regions)
    parser.add_argument("--years", type=int, default=SampleSpec.history_years)
    parser.add_argument("--seed", type=int, default=SampleSpec.seed)
    parser.add_argument("--anchor", default=None, help="month that launch and discontinuation are relative to")
    parser.add_argument("--format", choices=["csv", "parquet"], default="csv")
    args = parser.parse_args(argv)
    spec = SampleSpec(
        n_skus=args.skus,
        n_regions=args.regions,
        history_years=args.years,
        seed=args.seed,
        anchor_month=args.anchor,
        file_format=args.format,
    )
    print(write_sample_extracts(args.out, args.month, spec))


if __name__ == "__main__":
    main()
