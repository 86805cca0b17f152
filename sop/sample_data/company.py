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

from dataclasses import dataclass
from datetime import date
from typing import Literal

import numpy as np

from sop.core.months import add_months


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
    demand_review: bool = True
    """The demand review's stories (`review`): what happens that the statistics cannot see (a promotion,
    a tender, a lost customer) and the month's adjustments file for it (input contract v2). Without
    them, the company as it was before the demand review: the same extracts, no adjustments."""
    action_log: bool = True
    """Also write the month's decision and action log (input contract v2, `actions`), from the first
    meeting on."""
    all_regular: bool = False
    """Every sku a steady seller in every region since before its history, at 20 units a region and month
    or more: no slow movers, launches or discontinuations. The forecast's worst case, where every series
    goes through the full model pool (`bench/scale.py --regular`); the other draws stay as they are."""


@dataclass(frozen=True)
class Catalog:
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


@dataclass(frozen=True)
class Event:
    """A change to what one family (or one sku) sells in some months, in one region or all."""

    months: frozenset[int]
    """Month indices it applies to."""
    family: int | None = None
    sku: int | None = None
    region: int | None = None
    factor: float = 1.0
    months_of_demand: float = 0.0
    """A firm order on top of what sells: this many months of the sku's expected demand in the
    region, in whole units."""


def month_index(month: date) -> int:
    """Absolute month number: the key of that month's random numbers."""
    return month.year * 12 + month.month - 1


def sku_name(index: int) -> str:
    return f"SKU-{index + 1:05d}"


def rng_for(seed: int, *key: int) -> np.random.Generator:
    return np.random.default_rng([seed, *key])


def validate_spec(spec: SampleSpec) -> None:
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


def season_table(families: tuple[Family, ...]) -> np.ndarray:
    months = np.arange(12)
    amplitude = np.array([family.season_amplitude for family in families])[:, None]
    peak = np.array([family.peak_month - 1 for family in families])[:, None]
    raw = np.exp(amplitude * np.cos(2 * np.pi * (months - peak) / 12))
    return raw / raw.mean(axis=1, keepdims=True)


def build_catalog(spec: SampleSpec, anchor: date) -> Catalog:
    """Draws the skus. The first sku of each family is a steady seller; the last two are the
    launch and the discontinuation the planners must see."""
    families = FAMILIES[: spec.n_families]
    rng = rng_for(spec.seed, SKU_STREAM)
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
    regular_level = level
    level = np.where(intermittent, level * 0.1, level)
    span = (month_index(RANDOM_LIFECYCLE_SPAN[0]), month_index(RANDOM_LIFECYCLE_SPAN[1]) + 1)
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
    first_month[launched] = month_index(add_months(anchor, -LAUNCHED_MONTHS_BEFORE_ANCHOR))
    end_month[discontinued] = month_index(add_months(anchor, -DISCONTINUED_MONTHS_BEFORE_ANCHOR))
    if spec.all_regular:
        region_share = np.tile(weights / weights.sum(), (n, 1))
        level = np.maximum(regular_level, STEADY_LEVEL_FLOOR / region_share.min())
        sells_probability = np.ones(n)
        first_month, end_month = np.full(n, ALWAYS), np.full(n, NEVER)
    return Catalog(
        family=family,
        level=level,
        growth=growth,
        region_share=region_share,
        sells_probability=sells_probability,
        price=price,
        unit_cost=unit_cost,
        first_month=first_month,
        end_month=end_month,
        season=season_table(families),
    )


def expected_units(catalog: Catalog, months: np.ndarray) -> np.ndarray:
    """Noise-free units per month index and sku over all regions, shape (months, skus): the
    demand that capacity and budget are set against."""
    t = months[:, None]
    season = catalog.season[catalog.family][:, months % 12].T
    trend = (1.0 + catalog.growth) ** ((t - month_index(GROWTH_REFERENCE)) / 12.0)
    ramp = np.clip((t - catalog.first_month + 1) / LAUNCH_RAMP_MONTHS, 0.0, 1.0)
    alive = t < catalog.end_month
    return catalog.level * season * trend * ramp * alive


def draw_month(
    catalog: Catalog, seed: int, month: int, expected: np.ndarray, happening: tuple[Event, ...] = ()
) -> tuple[np.ndarray, np.ndarray]:
    """Units and discounts of one calendar month, shape (skus, regions), from that month's own
    generator, after the events of the month: the draw never depends on which plan month asks for it."""
    rng = rng_for(seed, SALES_STREAM, month)
    mean, orders = apply_events(expected[:, None] * catalog.region_share, month, catalog.family, happening)
    shock = rng.gamma(NOISE_SHAPE, 1.0 / NOISE_SHAPE, size=mean.shape)
    sells = rng.random(mean.shape) < catalog.sells_probability[:, None]
    units = np.where(sells, rng.poisson(mean * shock / catalog.sells_probability[:, None]), 0) + orders
    discount = rng.uniform(0.0, 2 * MEAN_DISCOUNT, size=mean.shape)
    return units, discount


def apply_events(
    mean: np.ndarray, month: int, family: np.ndarray, happening: tuple[Event, ...]
) -> tuple[np.ndarray, np.ndarray]:
    """Expected units (skus, regions) of one month moved by the factors of that month's events, and
    the firm orders they add (whole units, sold whatever the draw)."""
    moved = mean.copy()
    orders = np.zeros(mean.shape, dtype=np.int64)
    for event in happening:
        if month not in event.months:
            continue
        skus = family == event.family if event.family is not None else np.arange(len(family)) == event.sku
        regions = slice(None) if event.region is None else slice(event.region, event.region + 1)
        moved[skus, regions] = moved[skus, regions] * event.factor
        orders[skus, regions] += np.round(mean[skus, regions] * event.months_of_demand).astype(np.int64)
    return moved, orders
