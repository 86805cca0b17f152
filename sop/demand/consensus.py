"""The demand review: the statistical forecast changed by sales, marketing, finance, supply and the
executive into the consensus demand plan (input contract v2, `adjustments`).

How a change lands on the sku x region series: from the broadest scope to the narrowest (family,
family x region, sku, sku x region); within one scope `set_units` first, then `scale_pct`, then
`add_units`; within one kind the sources in the order of `SOURCES`. A change over several series is
spread in proportion to what they hold at that step, evenly where they all hold nothing. A series
never goes below zero: where the floor cuts a change, a warning says so. Every change is kept with
what it did (`demand_adjustments`), so that the forecast after each source can be judged later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import polars as pl

from sop.core import tables
from sop.core.months import month_label
from sop.core.tables import draft
from sop.core.warehouse import query, replace_partition, transaction
from sop.intake.contract import ADJUSTMENT_KINDS, SOURCES

CHANGE_SCHEMA = {
    "month": pl.Date,
    "product_family": pl.String,
    "sku": pl.String,
    "region": pl.String,
    "kind": pl.String,
    "value": pl.Float64,
    "source": pl.String,
    "owner": pl.String,
    "reason": pl.String,
}
"""A change of the demand review as staged (`stg_adjustments`, but for its plan month and file row)."""
SERIES = ("sku", "region", "month")
SCOPES: dict[str, tuple[str, ...]] = {
    "family": ("product_family", "month"),
    "family_region": ("product_family", "region", "month"),
    "sku": ("product_family", "sku", "month"),
    "sku_region": ("product_family", "sku", "region", "month"),
}
"""Each scope with the keys that pick its series, broadest first."""


@dataclass(frozen=True)
class Consensus:
    series: pl.DataFrame
    """sku, region, product_family, month, statistical_units, consensus_units."""
    changes: pl.DataFrame
    """One row per adjustment: its `_source_row`, scope, the series it landed on, their units before
    and after, and the units the floor at zero cut off it."""
    warnings: list[str]


def scope_of() -> pl.Expr:
    return (
        pl.when(pl.col("sku").is_null() & pl.col("region").is_null())
        .then(pl.lit("family"))
        .when(pl.col("sku").is_null())
        .then(pl.lit("family_region"))
        .when(pl.col("region").is_null())
        .then(pl.lit("sku"))
        .otherwise(pl.lit("sku_region"))
    )


def reconcile(statistical: pl.DataFrame, adjustments: pl.DataFrame) -> Consensus:
    """The consensus of each series (`statistical`: sku, region, product_family, month, units) after
    the changes (`adjustments`: the staged rows), applied in the contract's order."""
    units = statistical.select(*SERIES, "product_family", pl.col("units").cast(pl.Float64))
    changes = adjustments.with_columns(scope_of().alias("scope"))
    applied = []
    for scope, keys in SCOPES.items():
        for kind in ADJUSTMENT_KINDS:
            for source in SOURCES:
                step = changes.filter(
                    (pl.col("scope") == scope) & (pl.col("kind") == kind) & (pl.col("source") == source)
                )
                if step.height:
                    units, outcome = _apply(units, step, keys, kind)
                    applied.append(outcome)
    landed = pl.concat(applied) if applied else _NO_OUTCOME.clear()
    changes = changes.join(landed, on="_source_row", how="left").with_columns(
        pl.col("series").fill_null(0), pl.col(("units_before", "units_after", "floored_units")).fill_null(0.0)
    )
    series = statistical.select(*SERIES, "product_family", pl.col("units").cast(pl.Float64).alias("statistical_units"))
    series = series.join(units.select(*SERIES, pl.col("units").alias("consensus_units")), on=SERIES, how="left")
    return Consensus(series, changes.sort("_source_row"), _warnings(changes))


_NO_OUTCOME = pl.DataFrame(
    schema={
        "_source_row": pl.Int64,
        "series": pl.UInt32,
        "units_before": pl.Float64,
        "units_after": pl.Float64,
        "floored_units": pl.Float64,
    }
)


def _apply(
    units: pl.DataFrame, step: pl.DataFrame, keys: tuple[str, ...], kind: str
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """One scope, kind and source: its changes (disjoint, as their keys are unique) on their series."""
    hit = units.join(step.select(*keys, "_source_row", "value"), on=keys, how="inner").with_columns(
        pl.col("units").sum().over("_source_row").alias("total"),
        pl.len().over("_source_row").alias("count"),
    )
    share = pl.when(pl.col("total") > 0).then(pl.col("units") / pl.col("total")).otherwise(1.0 / pl.col("count"))
    wanted = {
        "set_units": pl.col("value") * share,
        "scale_pct": pl.col("units") * (1 + pl.col("value") / 100),
        "add_units": pl.col("units") + pl.col("value") * share,
    }[kind]
    hit = hit.with_columns(wanted.alias("wanted")).with_columns(pl.max_horizontal("wanted", 0.0).alias("after"))
    updated = (
        units.join(hit.select(*SERIES, "after"), on=SERIES, how="left")
        .with_columns(pl.coalesce("after", "units").alias("units"))
        .drop("after")
    )
    # In the file's order: the changes are then stored, and later summed, in the same order every run.
    outcome = hit.group_by("_source_row", maintain_order=True).agg(
        pl.len().alias("series"),
        pl.col("units").sum().alias("units_before"),
        pl.col("after").sum().alias("units_after"),
        (pl.col("after") - pl.col("wanted")).sum().alias("floored_units"),
    )
    return updated, outcome.select(_NO_OUTCOME.columns).cast(_NO_OUTCOME.schema)


def _warnings(changes: pl.DataFrame) -> list[str]:
    warnings = []
    for change in changes.sort("_source_row").iter_rows(named=True):
        where = _describe_scope(change)
        if change["series"] == 0:
            warnings.append(f"{where}: no series of the statistical forecast to land on; the change does nothing.")
        elif change["floored_units"] > 1e-9:
            warnings.append(
                f"{where}: {change['floored_units']:,.1f} units of the change would take series below zero;"
                " they stay at zero."
            )
    return warnings


def _describe_scope(change: dict) -> str:
    scope = {
        "family": "the whole family",
        "family_region": f"region {change['region']}",
        "sku": f"sku {change['sku']}",
        "sku_region": f"sku {change['sku']} in region {change['region']}",
    }[change["scope"]]
    who = f"{change['kind']} {change['value']:+g} by {change['source']} ({change['owner']})"
    where = f"{change['product_family']}, {scope}, {month_label(change['month'])}"
    return f"{who} for {where} (row {change['_source_row']})"


def build_demand_plan(con: duckdb.DuckDBPyConnection, plan_month: date) -> Consensus:
    """Reconciles the plan month's statistical forecast with its adjustments; replaces its rows of
    `demand_plan` and `demand_adjustments` (drafts) in one transaction."""
    month = {"plan_month": plan_month}
    statistical = query(con, tables.STATISTICAL_DEMAND, month)
    adjustments = query(con, tables.STAGED_ADJUSTMENTS, month)
    consensus = reconcile(statistical, adjustments)
    with transaction(con):
        frames = {"consensus": consensus.series}
        replace_partition(con, tables.DEMAND_PLAN, month, frames=frames, into=draft(tables.DEMAND_PLAN))
        frames = {"landed_changes": consensus.changes}
        replace_partition(con, tables.DEMAND_ADJUSTMENTS, month, frames=frames, into=draft(tables.DEMAND_ADJUSTMENTS))
    return consensus
