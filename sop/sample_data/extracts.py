"""The extracts of a plan month, written from the simulated company (`company`) and its demand
review (`review`)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

from sop.core.months import add_months, month_label, month_range, parse_month
from sop.intake.contract import ACTIONS, ADJUSTMENTS, CAPACITY, FINANCIALS, INVENTORY, SALES, ExtractSpec
from sop.sample_data.actions import action_log
from sop.sample_data.company import (
    ACTIVE_MONTHS,
    FAMILIES,
    INVENTORY_STREAM,
    MEAN_DISCOUNT,
    OUT_OF_STOCK_SHARE,
    REGIONS,
    Catalog,
    SampleSpec,
    build_catalog,
    draw_month,
    expected_units,
    month_index,
    rng_for,
    sku_name,
    validate_spec,
)
from sop.sample_data.review import TENDER_MONTHS_OF_DEMAND, adjustments, events, roles, tender_months


def _sku_names(count: int) -> pl.Series:
    return pl.Series([sku_name(index) for index in range(count)])


def _sales(catalog: Catalog, spec: SampleSpec, months: list[date], anchor: date) -> tuple[pl.DataFrame, np.ndarray]:
    """The sales extract (zero months omitted) and the units array (months, skus, regions)."""
    indices = np.array([month_index(month) for month in months])
    expected = expected_units(catalog, indices)
    happening = events(spec, anchor) if spec.demand_review else ()
    draws = [draw_month(catalog, spec.seed, month, expected[row], happening) for row, month in enumerate(indices)]
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


def _inventory(catalog: Catalog, spec: SampleSpec, plan_month: date, units: np.ndarray) -> pl.DataFrame:
    """Stock at the end of M-1 for every sku with sales: 0.5 to 2 months of demand over the
    locations, some locations out of stock, safety stock half a month of demand. A sku without
    recent sales keeps the stock it had, valued, with no safety stock: obsolete stock to see.

    Demand is the last year's average since the sku's first sale, so that neither a launch nor
    an intermittent sku with a few silent months looks like no demand."""
    rng = rng_for(spec.seed, INVENTORY_STREAM, month_index(plan_month))
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


def _capacity(catalog: Catalog, spec: SampleSpec, plan_month: date) -> pl.DataFrame:
    """Flat capacity per family over the capacity months, at its factor times its average monthly
    demand of the coming year (a full year, so that a seasonal family's peak counts whatever the
    number of capacity months)."""
    coming_year = np.array([month_index(month) for month in month_range(plan_month, 12)])
    average = (expected_units(catalog, coming_year) @ catalog.family_matrix).mean(axis=0)
    months = month_range(plan_month, spec.capacity_months)
    rows = [
        (f"Plant-{chr(ord('A') + plant)}", family.name, round(average[number] * family.capacity_factor * share))
        for number, family in enumerate(FAMILIES[: spec.n_families])
        for plant, share in _plants_of(number, spec.n_plants)
    ]
    plants = pl.DataFrame(rows, schema=["plant", "product_family", "capacity_units"], orient="row")
    return pl.DataFrame({"month": pl.Series(months, dtype=pl.Date)}).join(plants, how="cross")


def _financials(catalog: Catalog, spec: SampleSpec, plan_month: date) -> pl.DataFrame:
    """The budget from January of M-1's year to the last capacity month: expected demand times the
    family's budget factor, priced at the family's average price and cost of that year. Every
    input is a function of the calendar month, so a month's budget is the same in every extract."""
    first = date(add_months(plan_month, -1).year, 1, 1)
    last = add_months(plan_month, spec.capacity_months - 1)
    years = last.year - first.year + 1
    months = month_range(first, 12 * years)
    expected = expected_units(catalog, np.array([month_index(month) for month in months]))
    family_units = expected @ catalog.family_matrix
    sku_year_units = expected.reshape(years, 12, -1).sum(axis=1)
    year_units = sku_year_units @ catalog.family_matrix
    price = (sku_year_units * catalog.price * (1 - MEAN_DISCOUNT)) @ catalog.family_matrix / year_units
    cost = (sku_year_units * catalog.unit_cost) @ catalog.family_matrix / year_units
    factor = np.array([family.budget_factor for family in FAMILIES[: spec.n_families]])
    budget = np.round(family_units * factor)
    year = np.arange(12 * years) // 12
    window_months = month_index(last) - month_index(first) + 1
    return pl.DataFrame(
        {
            "month": pl.Series(months, dtype=pl.Date).gather(np.repeat(np.arange(len(months)), spec.n_families)),
            "product_family": [family.name for family in FAMILIES[: spec.n_families]] * len(months),
            "budget_units": budget.ravel().astype(np.int64),
            "budget_revenue": np.round(budget * price[year], 2).ravel(),
            "budget_cogs": np.round(budget * cost[year], 2).ravel(),
        }
    ).head(window_months * spec.n_families)


def _tender_units(catalog: Catalog, spec: SampleSpec, anchor: date) -> dict[int, float]:
    """What each tender brings: months of the tender sku's expected demand in the first region."""
    sku = roles(spec).tender_sku
    months = np.array(tender_months(anchor))
    expected = expected_units(catalog, months)[:, sku] * catalog.region_share[sku, 0]
    return {int(month): float(units) * TENDER_MONTHS_OF_DEMAND for month, units in zip(months, expected, strict=True)}


def _as_file(frame: pl.DataFrame, spec: ExtractSpec, file_format: str) -> pl.DataFrame:
    """Contract column order, rows sorted by the key (byte-identical files for the same
    arguments), and months as `YYYY-MM` text in CSV, DATE in Parquet."""
    months = [column.name for column in spec.columns if column.kind == "month"]
    frame = frame.select(spec.column_names).sort(spec.key)
    if file_format == "csv":
        frame = frame.with_columns(pl.col(months).dt.strftime("%Y-%m"))
    return frame


def write_sample_extracts(extracts_root: Path, plan_month: str | date, spec: SampleSpec = SampleSpec()) -> Path:
    """Writes <extracts_root>/<YYYY-MM>/{sales,inventory,capacity,financials,adjustments,actions}.<csv|parquet>
    (the people's two as the spec asks); returns the folder.

    An extract file of the other format in that folder is removed: ingestion refuses a folder
    holding both."""
    validate_spec(spec)
    month = parse_month(plan_month)
    anchor = parse_month(spec.anchor_month) if spec.anchor_month else month
    catalog = build_catalog(spec, anchor)
    history = month_range(add_months(month, -12 * spec.history_years), 12 * spec.history_years)
    sales, units = _sales(catalog, spec, history, anchor)
    extracts = {
        SALES: sales,
        INVENTORY: _inventory(catalog, spec, month, units),
        CAPACITY: _capacity(catalog, spec, month),
        FINANCIALS: _financials(catalog, spec, month),
    }
    if spec.demand_review:
        extracts[ADJUSTMENTS] = adjustments(
            spec, anchor, month, _tender_units(catalog, spec, anchor), set(sales["sku"].unique())
        )
    log = action_log(spec, anchor, month) if spec.action_log else None
    if log is not None and log.height:
        extracts[ACTIONS] = log
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
