"""Stage 6, accuracy: the forecasts of earlier plan months against the actuals that arrived since, and
the value each touch point of the demand review added to them."""

import dagster as dg
import polars as pl

from assets.audit import audit_specs, hand_over_drafts
from assets.catalog import catalog
from pipelines.partitions import WAREHOUSE_POOL, plan_month_of, plan_months
from pipelines.resources import SopStorage
from sop.core import draft, read_partition, tables
from sop.forecast import track_accuracy
from sop.report import markdown_table

UPSTREAM = [tables.SKU_FORECAST, tables.FAMILY_FORECAST, tables.STG_SALES]
"""Earlier months' published forecasts (the families' for their intervals) and this month's actuals."""
AUDITED = (tables.FORECAST_ACCURACY, tables.FORECAST_ACCURACY_SUMMARY, tables.FORECAST_VALUE_ADDED)


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            tables.FORECAST_ACCURACY,
            metadata=catalog(tables.FORECAST_ACCURACY),
            deps=UPSTREAM,
            kinds={"duckdb"},
            description=(
                "Every forecast published in an earlier plan month against the actuals of the trailing months,"
                " at lags 1 and 3, per sku x region, sku, family and total: errors, seasonal naive and interval hits."
                " Grain: plan_month x lag x level x product_family x sku x region x month."
            ),
        ),
        dg.AssetSpec(
            tables.FORECAST_ACCURACY_SUMMARY,
            metadata=catalog(tables.FORECAST_ACCURACY_SUMMARY),
            deps=UPSTREAM,
            kinds={"duckdb"},
            description=(
                "Forecast accuracy over the trailing months: WAPE, MAPE, bias, MASE, value added over seasonal"
                " naive, interval coverage. Grain: plan_month x lag x level x product_family x sku x region."
            ),
        ),
        dg.AssetSpec(
            tables.FORECAST_VALUE_ADDED,
            metadata=catalog(tables.FORECAST_VALUE_ADDED),
            deps=[*UPSTREAM, tables.DEMAND_ADJUSTMENTS],
            kinds={"duckdb"},
            description=(
                "The demand review's touch points judged like the forecast: the stairstep naive, statistical,"
                " after each source's changes, consensus, with WAPE, bias and the value each step added over the"
                " one before, at lags 1 and 3. Grain: plan_month x lag x level x product_family x step."
            ),
        ),
    ],
    check_specs=audit_specs(*AUDITED),
    partitions_def=plan_months,
    group_name="accuracy",
    pool=WAREHOUSE_POOL,
)
def forecast_accuracy(context: dg.AssetExecutionContext, storage: SopStorage):
    plan_month = plan_month_of(context)
    with storage.connect() as con:
        tracked = track_accuracy(con, plan_month, storage.settings.accuracy)
        overview = (
            read_partition(con, draft(tables.FORECAST_ACCURACY_SUMMARY), {"plan_month": plan_month})
            .filter(pl.col("level").is_in(["family", "total"]))
            .select("lag", "product_family", "months", "wape", "bias", "mase", "fva")
            .sort("lag", "product_family", nulls_last=True)
        )
        stairstep = (
            read_partition(con, draft(tables.FORECAST_VALUE_ADDED), {"plan_month": plan_month})
            .filter((pl.col("lag") == 1) & (pl.col("level") == "total"))
            .sort("step_order")
            .select(
                "step",
                "changed_months",
                "owners",
                *[(pl.col(metric) * 100).round(1).alias(f"{metric}_pct") for metric in ("wape", "bias", "fva")],
            )
        )
        checks = hand_over_drafts(context, con, plan_month, *AUDITED)
    yield dg.MaterializeResult(asset_key=tables.FORECAST_ACCURACY, metadata={"dagster/row_count": tracked.detail})
    yield dg.MaterializeResult(
        asset_key=tables.FORECAST_ACCURACY_SUMMARY,
        metadata={"dagster/row_count": tracked.summary, "families": dg.MetadataValue.md(markdown_table(overview, 20))},
    )
    yield dg.MaterializeResult(
        asset_key=tables.FORECAST_VALUE_ADDED,
        metadata={
            "dagster/row_count": tracked.value_added,
            "lag_1_total": dg.MetadataValue.md(markdown_table(stairstep)),
        },
    )
    yield from checks
