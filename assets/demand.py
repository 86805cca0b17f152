"""Stage 5, demand review: the statistical forecast changed by the people who know what it cannot see
(the adjustments extract), into the consensus demand plan the plan runs on."""

import dagster as dg
import polars as pl

from assets.audit import audit_specs, hand_over_drafts
from assets.catalog import catalog
from pipelines.partitions import WAREHOUSE_POOL, plan_month_of, plan_months
from pipelines.resources import SopStorage
from sop.core import tables
from sop.demand import build_demand_plan
from sop.report import markdown_table

UPSTREAM = [tables.SKU_FORECAST, tables.STG_ADJUSTMENTS]


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            tables.DEMAND_PLAN,
            metadata=catalog(tables.DEMAND_PLAN),
            deps=UPSTREAM,
            kinds={"duckdb"},
            description=(
                "The consensus demand plan: per sku x region and month, the statistical forecast and the consensus"
                " after the demand review's changes (broadest scope first; set, scale, add; sources in order;"
                " never below zero), with the consensus's 80% interval. Grain: plan_month x sku x region x month."
            ),
        ),
        dg.AssetSpec(
            tables.DEMAND_ADJUSTMENTS,
            metadata=catalog(tables.DEMAND_ADJUSTMENTS),
            deps=UPSTREAM,
            kinds={"duckdb"},
            description=(
                "Every change of the demand review with its source, owner and reason, and what it did: the series"
                " it landed on, their units before and after, what the floor at zero cut."
                " Grain: plan_month x month x product_family x sku x region x source."
            ),
        ),
    ],
    check_specs=audit_specs(tables.DEMAND_PLAN, tables.DEMAND_ADJUSTMENTS),
    partitions_def=plan_months,
    group_name="demand",
    pool=WAREHOUSE_POOL,
)
def demand_review(context: dg.AssetExecutionContext, storage: SopStorage):
    plan_month = plan_month_of(context)
    with storage.connect() as con:
        consensus = build_demand_plan(con, plan_month)
        checks = hand_over_drafts(context, con, plan_month, tables.DEMAND_PLAN, tables.DEMAND_ADJUSTMENTS)
    for warning in consensus.warnings:
        context.log.warning(warning)
    by_family = (
        consensus.series.group_by("product_family")
        .agg(pl.col("statistical_units").sum(), pl.col("consensus_units").sum())
        .with_columns((pl.col("consensus_units") / pl.col("statistical_units") - 1).alias("adjustment_pct"))
        .sort("product_family")
    )
    by_source = (
        consensus.changes.group_by("source")
        .agg(pl.len().alias("changes"), (pl.col("units_after") - pl.col("units_before")).sum().alias("units"))
        .sort("source")
    )
    yield dg.MaterializeResult(
        asset_key=tables.DEMAND_PLAN,
        metadata={
            "dagster/row_count": consensus.series.height,
            "by_family": dg.MetadataValue.md(markdown_table(by_family)),
        },
    )
    yield dg.MaterializeResult(
        asset_key=tables.DEMAND_ADJUSTMENTS,
        metadata={
            "dagster/row_count": consensus.changes.height,
            "warnings": len(consensus.warnings),
            "by_source": dg.MetadataValue.md(markdown_table(by_source)),
        },
    )
    yield from checks
