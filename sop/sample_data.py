"""Deterministic, realistic sample extracts in the format of input contract v1.

Why: the pipeline, its tests and its demo need a company to plan for. The generated one has the
shapes real extracts have (skewed sku sizes, trends, yearly seasons, intermittent slow movers,
launches and discontinuations, zero months omitted) and, by construction, the situations the
monthly S&OP meeting must see.

The model. Each sku has a family, a level (lognormal: a few big sellers, many small ones), a
yearly growth around its family's, a split over regions, a list price and a unit cost. Its
expected monthly units are level x family season (peaking in the family's peak month) x growth
since 2024-01 x lifecycle (zero before launch, a three-month ramp, zero after discontinuation).
Sales draw negative binomial units (Poisson with a gamma shock) around that; about 10% of skus
are intermittent slow movers that sell in only some months.

Consistency across plan months: the noise of calendar month t comes from a generator seeded
with (seed, t) alone, and the expectation is a function of the calendar month, never of the
plan month. So for one spec (same seed and `anchor_month`) every plan month sees the same sales
for every month both histories contain, and the same budget rows, on any calendar month:
backfills and plan-over-plan compare like with like. Leaving `anchor_month` unset places the
launch and discontinuation relative to each plan month instead, which moves them.

The families play fixed roles (the first three must exist: `n_families` >= 3):
- "Garden" (the first) is strongly seasonal, peaking in June, with flat capacity at 1.08x its
  average monthly demand of the coming year: short from April to August, slack before;
- "Cordless Tools" (the second) has capacity at 0.85x its average demand: short in every month;
- "Hand Tools" (the third) has a budget 18% above its expected demand, so it misses budget;
- every other family has capacity at 1.3x its average demand; every family but "Hand Tools"
  has a budget 3% above its expected demand (the growth target).
The last sku is launched 4 months before the anchor month and the one before it is
discontinued, with no sales in the 10 months before the anchor; both belong to the last family.
The first sku of each family is a steady seller, so that every family has sales in any history.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

import numpy as np
import polars as pl

from sop.contract import CAPACITY, FINANCIALS, INVENTORY, SALES, ExtractSpec
from sop.months import add_months, month_label, month_range, parse_month


@dataclass(frozen=True)
class Family:
    name: str
    list_price: float
    sku_share: float
    """Share of the sku range."""
    season_amplitude: float
    """Of exp(amplitude x cos): 0.9 doubles the peak month over the average, 0.1 is barely seasonal."""
    peak_month: int
    growth: float
    """Yearly growth of the family's expected demand."""
    capacity_factor: float = 1.3
    """Flat monthly capacity as a multiple of the family's average monthly demand of the coming year."""
    budget_factor: float = 1.03
    """Budget as a multiple of the expected demand: a growth target, larger where it will be missed."""


FAMILIES = (
    Family("Garden", 34.0, 0.18, 0.9, 6, 0.03, capacity_factor=1.08),
    Family("Cordless Tools", 119.0, 0.12, 0.05, 11, 0.04, capacity_factor=0.85),
    Family("Hand Tools", 22.0, 0.18, 0.1, 4, 0.01, budget_factor=1.18),
    Family("Fasteners", 4.5, 0.2, 0.05, 3, 0.02),
    Family("Safety Gear", 16.0, 0.12, 0.1, 10, 0.03),
    Family("Paint", 26.0, 0.1, 0.15, 5, 0.0),
    Family("Plumbing", 12.0, 0.06, 0.1, 1, 0.02),
    Family("Lighting", 42.0, 0.04, 0.15, 12, 0.04),
)
REGIONS = ("North", "South", "East", "West", "Central", "Coastal", "Mountain", "Islands")
REGION_WEIGHTS = (1.0, 0.9, 1.1, 0.8, 0.6, 0.5, 0.3, 0.2)
ROLE_FAMILIES = 3

GROWTH_REFERENCE = date(2024, 1, 1)
LAUNCH_RAMP_MONTHS = 3
LAUNCHED_MONTHS_BEFORE_ANCHOR = 4
DISCONTINUED_MONTHS_BEFORE_ANCHOR = 10
STEADY_LEVEL_FLOOR = 20.0
INTERMITTENT_SHARE = 0.1
RANDOM_LIFECYCLE_SHARE = 0.04
RANDOM_LIFECYCLE_SPAN = (date(2016, 1, 1), date(2035, 12, 1))
NOISE_SHAPE = 8.0
MEAN_DISCOUNT = 0.05
ACTIVE_MONTHS = 6
OUT_OF_STOCK_SHARE = 0.12

SKU_STREAM, SALES_STREAM, INVENTORY_STREAM = 1, 2, 3
ALWAYS, NEVER = 0, 10**6
"""Month indices before and after any calendar month: no launch, no discontinuation."""


@dataclass(frozen=True)
class SampleSpec:
    n_skus: int = 300
    n_regions: int = 4
    n_families: int = 5
    """3 to len(FAMILIES): the first three play the roles in the module docstring."""
    n_plants: int = 3
    n_locations: int = 2
    history_years: int = 4
    """Months of sales history = 12 x history_years, ending at M-1."""
    capacity_months: int = 24
    """Capacity rows from M for this many months; the budget runs to the same end."""
    seed: int = 20261124
    anchor_month: str | None = None
    """Launch and discontinuation are placed relative to this month (default: the plan month)."""
    file_format: Literal["csv", "parquet"] = "csv"


@dataclass(frozen=True)
class _Catalog:
    """The simulated skus: drawn once from the seed, independent of the plan month."""

    family: np.ndarray
    level: np.ndarray
    """Expected monthly units over all regions at the growth reference, before season."""
    growth: np.ndarray
    region_share: np.ndarray
    """Shape (skus, regions), rows sum to 1."""
    sells_probability: np.ndarray
    """Chance of any sale in a month: below 1 for intermittent skus, 1 for the others."""
    price: np.ndarray
    unit_cost: np.ndarray
    first_month: np.ndarray
    """Month index of the launch (first possible sale)."""
    end_month: np.ndarray
    """Month index from which the sku no longer sells."""
    season: np.ndarray
    """Season factor per family and calendar month (Jan..Dec), mean 1: shape (families, 12)."""

    @property
    def family_matrix(self) -> np.ndarray:
        """One-hot (skus, families): a matrix product sums sku arrays into family arrays."""
        return np.eye(self.season.shape[0])[self.family]


def _index(month: date) -> int:
    """Absolute month number: the key of that month's random numbers."""
    return month.year * 12 + month.month - 1


def _rng(seed: int, *key: int) -> np.random.Generator:
    return np.random.default_rng([seed, *key])


def _validate(spec: SampleSpec) -> None:
    limits = {
        "n_families": (ROLE_FAMILIES, len(FAMILIES)),
        "n_regions": (1, len(REGIONS)),
        "n_plants": (1, 26),
        "n_locations": (1, 999),
        "n_skus": (spec.n_families + 2, 99_999),
        "history_years": (1, 100),
        "capacity_months": (1, 1200),
    }
    for name, (low, high) in limits.items():
        value = getattr(spec, name)
        if not low <= value <= high:
            raise ValueError(f"SampleSpec.{name} must be between {low} and {high}, got {value}")
    if spec.file_format not in ("csv", "parquet"):
        raise ValueError(f"SampleSpec.file_format must be 'csv' or 'parquet', got {spec.file_format!r}")


def _season_table(families: tuple[Family, ...]) -> np.ndarray:
    months = np.arange(12)
    amplitude = np.array([family.season_amplitude for family in families])[:, None]
    peak = np.array([family.peak_month - 1 for family in families])[:, None]
    raw = np.exp(amplitude * np.cos(2 * np.pi * (months - peak) / 12))
    return raw / raw.mean(axis=1, keepdims=True)


def _catalog(spec: SampleSpec, anchor: date) -> _Catalog:
    """Draws the skus. The first sku of each family is a steady seller; the last two are the
    launch and the discontinuation the planners must see."""
    families = FAMILIES[: spec.n_families]
    rng = _rng(spec.seed, SKU_STREAM)
    n = spec.n_skus
    share = np.array([family.sku_share for family in families])
    family = rng.choice(spec.n_families, size=n, p=share / share.sum())
    family[: spec.n_families] = np.arange(spec.n_families)
    list_price = np.array([family.list_price for family in families])[family]
    # Cheap items sell in larger numbers.
    level = rng.lognormal(np.log(60.0) - 0.5 * np.log(list_price / 25.0), 1.0)
    family_growth = np.array([family.growth for family in families])[family]
    growth = family_growth + np.clip(rng.normal(0.0, 0.04, n), -0.1, 0.1)
    weights = np.array(REGION_WEIGHTS[: spec.n_regions])
    region_share = rng.dirichlet(weights * 4.0, size=n)
    price = np.round(list_price * rng.lognormal(0.0, 0.3, n), 2)
    unit_cost = np.round(price * rng.uniform(0.5, 0.7, n), 2)
    intermittent = rng.random(n) < INTERMITTENT_SHARE
    sells_probability = np.where(intermittent, rng.uniform(0.15, 0.4, n), 1.0)
    level = np.where(intermittent, level * 0.1, level)
    span = (_index(RANDOM_LIFECYCLE_SPAN[0]), _index(RANDOM_LIFECYCLE_SPAN[1]) + 1)
    first_month = np.where(rng.random(n) < RANDOM_LIFECYCLE_SHARE, rng.integers(*span, n), ALWAYS)
    end_month = np.where(rng.random(n) < RANDOM_LIFECYCLE_SHARE, rng.integers(*span, n), NEVER)
    end_month = np.where(end_month <= first_month, NEVER, end_month)

    steady = np.arange(spec.n_families)
    level[steady] = np.maximum(level[steady], STEADY_LEVEL_FLOOR)
    launched, discontinued = n - 1, n - 2
    roles = np.r_[steady, discontinued, launched]
    # In the last family, so that a launch does not blur the capacity and budget roles of the first three.
    family[[discontinued, launched]] = spec.n_families - 1
    level[[discontinued, launched]] = np.median(level)
    sells_probability[roles] = 1.0
    first_month[roles], end_month[roles] = ALWAYS, NEVER
    first_month[launched] = _index(add_months(anchor, -LAUNCHED_MONTHS_BEFORE_ANCHOR))
    end_month[discontinued] = _index(add_months(anchor, -DISCONTINUED_MONTHS_BEFORE_ANCHOR))
    return _Catalog(
        family=family,
        level=level,
        growth=growth,
        region_share=region_share,
        sells_probability=sells_probability,
        price=price,
        unit_cost=unit_cost,
        first_month=first_month,
        end_month=end_month,
        season=_season_table(families),
    )


def _expected_units(catalog: _Catalog, months: np.ndarray) -> np.ndarray:
    """Noise-free units per month index and sku over all regions, shape (months, skus): the
    demand that capacity and budget are set against."""
    t = months[:, None]
    season = catalog.season[catalog.family][:, months % 12].T
    trend = (1.0 + catalog.growth) ** ((t - _index(GROWTH_REFERENCE)) / 12.0)
    ramp = np.clip((t - catalog.first_month + 1) / LAUNCH_RAMP_MONTHS, 0.0, 1.0)
    alive = t < catalog.end_month
    return catalog.level * season * trend * ramp * alive


def _draw_month(catalog: _Catalog, seed: int, month: int, expected: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Units and discounts of one calendar month, shape (skus, regions), from that month's own
    generator: the draw never depends on which plan month asks for it."""
    rng = _rng(seed, SALES_STREAM, month)
    mean = expected[:, None] * catalog.region_share
    shock = rng.gamma(NOISE_SHAPE, 1.0 / NOISE_SHAPE, size=mean.shape)
    sells = rng.random(mean.shape) < catalog.sells_probability[:, None]
    units = np.where(sells, rng.poisson(mean * shock / catalog.sells_probability[:, None]), 0)
    discount = rng.uniform(0.0, 2 * MEAN_DISCOUNT, size=mean.shape)
    return units, discount


def _sku_names(count: int) -> pl.Series:
    return pl.Series([f"SKU-{number:05d}" for number in range(1, count + 1)])


def _sales(catalog: _Catalog, spec: SampleSpec, months: list[date]) -> tuple[pl.DataFrame, np.ndarray]:
    """The sales extract (zero months omitted) and the units array (months, skus, regions)."""
    indices = np.array([_index(month) for month in months])
    expected = _expected_units(catalog, indices)
    draws = [_draw_month(catalog, spec.seed, month, expected[row]) for row, month in enumerate(indices)]
    units = np.stack([units for units, _ in draws])
    discount = np.stack([discount for _, discount in draws])
    month, sku, region = np.nonzero(units)
    sold = units[month, sku, region]
    revenue = sold * catalog.price[sku] * (1.0 - discount[month, sku, region])
    frame = pl.DataFrame(
        {
            "month": pl.Series(months, dtype=pl.Date).gather(month),
            "sku": _sku_names(spec.n_skus).gather(sku),
            "product_family": pl.Series([family.name for family in FAMILIES]).gather(catalog.family[sku]),
            "region": pl.Series(REGIONS).gather(region),
            "units": sold.astype(np.int64),
            "net_revenue": np.round(revenue, 2),
        }
    )
    return frame, units


def _inventory(catalog: _Catalog, spec: SampleSpec, plan_month: date, units: np.ndarray) -> pl.DataFrame:
    """Stock at the end of M-1 for every sku with sales: 0.5 to 2 months of demand over the
    locations, some locations out of stock, safety stock half a month of demand. A sku without
    recent sales keeps the stock it had, valued, with no safety stock: obsolete stock to see.

    Demand is the last year's average since the sku's first sale, so that neither a launch nor
    an intermittent sku with a few silent months looks like no demand."""
    rng = _rng(spec.seed, INVENTORY_STREAM, _index(plan_month))
    monthly = units.sum(axis=2)
    sold = np.flatnonzero(monthly.sum(axis=0) > 0)
    monthly = monthly[:, sold]
    selling_months = np.count_nonzero(monthly, axis=0)
    since_first_sale = monthly.shape[0] - np.argmax(monthly > 0, axis=0)
    last_year = monthly[-12:].sum(axis=0) / np.minimum(since_first_sale, 12)
    active = monthly[-ACTIVE_MONTHS:].sum(axis=0) > 0
    demand = np.where(active, last_year, monthly.sum(axis=0) / selling_months)
    cover = rng.uniform(0.5, 2.0, sold.size)[:, None]
    split = rng.dirichlet(np.ones(spec.n_locations) * 3.0, size=sold.size)
    in_stock = rng.random((sold.size, spec.n_locations)) >= OUT_OF_STOCK_SHARE
    on_hand = np.round(demand[:, None] * cover * split * in_stock)
    safety = np.round(0.5 * (demand * active)[:, None] * split)
    locations = pl.Series([f"DC-{number}" for number in range(1, spec.n_locations + 1)])
    return pl.DataFrame(
        {
            "sku": _sku_names(spec.n_skus).gather(np.repeat(sold, spec.n_locations)),
            "location": locations.gather(np.tile(np.arange(spec.n_locations), sold.size)),
            "on_hand_units": on_hand.ravel().astype(np.int64),
            "safety_stock_units": safety.ravel().astype(np.int64),
            "unit_cost": np.repeat(catalog.unit_cost[sold], spec.n_locations),
        }
    ).with_columns(snapshot_month=pl.lit(add_months(plan_month, -1), dtype=pl.Date))


def _plants_of(family: int, n_plants: int) -> list[tuple[int, float]]:
    """(plant, share of the family's capacity): every other family is made in two plants."""
    first = family % n_plants
    if family % 2 == 0 or n_plants == 1:
        return [(first, 1.0)]
    return [(first, 0.6), ((first + 1) % n_plants, 0.4)]


def _capacity(catalog: _Catalog, spec: SampleSpec, plan_month: date) -> pl.DataFrame:
    """Flat capacity per family over the capacity months, at its factor times its average monthly
    demand of the coming year (a full year, so that a seasonal family's peak counts whatever the
    number of capacity months)."""
    coming_year = np.array([_index(month) for month in month_range(plan_month, 12)])
    average = (_expected_units(catalog, coming_year) @ catalog.family_matrix).mean(axis=0)
    months = month_range(plan_month, spec.capacity_months)
    rows = [
        (f"Plant-{chr(ord('A') + plant)}", family.name, round(average[number] * family.capacity_factor * share))
        for number, family in enumerate(FAMILIES[: spec.n_families])
        for plant, share in _plants_of(number, spec.n_plants)
    ]
    plants = pl.DataFrame(rows, schema=["plant", "product_family", "capacity_units"], orient="row")
    return pl.DataFrame({"month": pl.Series(months, dtype=pl.Date)}).join(plants, how="cross")


def _financials(catalog: _Catalog, spec: SampleSpec, plan_month: date) -> pl.DataFrame:
    """The budget from January of M-1's year to the last capacity month: expected demand times the
    family's budget factor, priced at the family's average price and cost of that year. Every
    input is a function of the calendar month, so a month's budget is the same in every extract."""
    first = date(add_months(plan_month, -1).year, 1, 1)
    last = add_months(plan_month, spec.capacity_months - 1)
    years = last.year - first.year + 1
    months = month_range(first, 12 * years)
    expected = _expected_units(catalog, np.array([_index(month) for month in months]))
    family_units = expected @ catalog.family_matrix
    sku_year_units = expected.reshape(years, 12, -1).sum(axis=1)
    year_units = sku_year_units @ catalog.family_matrix
    price = (sku_year_units * catalog.price * (1 - MEAN_DISCOUNT)) @ catalog.family_matrix / year_units
    cost = (sku_year_units * catalog.unit_cost) @ catalog.family_matrix / year_units
    factor = np.array([family.budget_factor for family in FAMILIES[: spec.n_families]])
    budget = np.round(family_units * factor)
    year = np.arange(12 * years) // 12
    window_months = _index(last) - _index(first) + 1
    return pl.DataFrame(
        {
            "month": pl.Series(months, dtype=pl.Date).gather(np.repeat(np.arange(len(months)), spec.n_families)),
            "product_family": [family.name for family in FAMILIES[: spec.n_families]] * len(months),
            "budget_units": budget.ravel().astype(np.int64),
            "budget_revenue": np.round(budget * price[year], 2).ravel(),
            "budget_cogs": np.round(budget * cost[year], 2).ravel(),
        }
    ).head(window_months * spec.n_families)


def _as_file(frame: pl.DataFrame, spec: ExtractSpec, file_format: str) -> pl.DataFrame:
    """Contract column order, rows sorted by the key (byte-identical files for the same
    arguments), and months as `YYYY-MM` text in CSV, DATE in Parquet."""
    months = [column.name for column in spec.columns if column.kind == "month"]
    frame = frame.select(spec.column_names).sort(spec.key)
    if file_format == "csv":
        frame = frame.with_columns(pl.col(months).dt.strftime("%Y-%m"))
    return frame


def write_sample_extracts(extracts_root: Path, plan_month: str | date, spec: SampleSpec = SampleSpec()) -> Path:
    """Writes <extracts_root>/<YYYY-MM>/{sales,inventory,capacity,financials}.<csv|parquet>; returns the folder.

    An extract file of the other format in that folder is removed: ingestion refuses a folder
    holding both."""
    _validate(spec)
    month = parse_month(plan_month)
    anchor = parse_month(spec.anchor_month) if spec.anchor_month else month
    catalog = _catalog(spec, anchor)
    history = month_range(add_months(month, -12 * spec.history_years), 12 * spec.history_years)
    sales, units = _sales(catalog, spec, history)
    extracts = {
        SALES: sales,
        INVENTORY: _inventory(catalog, spec, month, units),
        CAPACITY: _capacity(catalog, spec, month),
        FINANCIALS: _financials(catalog, spec, month),
    }
    folder = Path(extracts_root) / month_label(month)
    folder.mkdir(parents=True, exist_ok=True)
    other = "parquet" if spec.file_format == "csv" else "csv"
    for contract, frame in extracts.items():
        (folder / f"{contract.name}.{other}").unlink(missing_ok=True)
        path = folder / f"{contract.name}.{spec.file_format}"
        written = _as_file(frame, contract, spec.file_format)
        if spec.file_format == "csv":
            written.write_csv(path, float_precision=2)
        else:
            written.write_parquet(path)
    return folder


def main(argv: list[str] | None = None) -> None:
    defaults = SampleSpec()
    parser = argparse.ArgumentParser(description="Write generated sample S&OP extracts for one plan month.")
    parser.add_argument("--month", required=True, help="plan month, YYYY-MM")
    parser.add_argument("--out", required=True, type=Path, help="extracts root, e.g. data/extracts")
    parser.add_argument("--skus", type=int, default=defaults.n_skus)
    parser.add_argument("--regions", type=int, default=defaults.n_regions)
    parser.add_argument("--years", type=int, default=defaults.history_years, help="years of sales history")
    parser.add_argument("--seed", type=int, default=defaults.seed)
    parser.add_argument(
        "--anchor",
        help="month the launch and discontinuation are placed from (default: the plan month);"
        " fix it to generate consistent consecutive months",
    )
    parser.add_argument("--format", choices=["csv", "parquet"], default=defaults.file_format)
    args = parser.parse_args(argv)
    spec = SampleSpec(
        n_skus=args.skus,
        n_regions=args.regions,
        history_years=args.years,
        seed=args.seed,
        anchor_month=args.anchor,
        file_format=args.format,
    )
    try:
        print(write_sample_extracts(args.out, args.month, spec))
    except ValueError as error:
        parser.error(str(error))


if __name__ == "__main__":
    main()
