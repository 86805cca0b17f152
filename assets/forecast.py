"""Stage 4, forecast: the statistical baseline per sku x region and per family over the horizon, and its backtest."""

import dagster as dg
import polars as pl

from assets.audit import audit_specs, hand_over_drafts
from assets.catalog import catalog
from pipelines.partitions import WAREHOUSE_POOL, plan_month_of, plan_months
from pipelines.resources import SopStorage
from sop.core import tables
from sop.forecast import ProgressLog, forecast_month
from sop.report import markdown_table


# The forecast is published with the plan, so it waits for all four extracts to pass their
# checks: a bad inventory file must not leave a new forecast beside last run's plan.
@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            tables.SKU_FORECAST,
            metadata=catalog(tables.SKU_FORECAST),
            deps=tables.STAGED,
            kinds={"duckdb", "statsforecast"},
            description=(
                "Baseline demand forecast per sku x region for each month of the horizon, with calibrated"
                " 80% and 95% intervals (never negative), the method (a weighted combination of a model pool,"
                " reconciled with the families, regions and total for regular demand; the segment's best model"
                " for intermittent demand; the family's seasonal profile for new items, zero for discontinued"
                " ones) and the weights."
                " Grain: plan_month x sku x region x month."
            ),
        ),
        dg.AssetSpec(
            tables.FAMILY_FORECAST,
            metadata=catalog(tables.FAMILY_FORECAST),
            deps=tables.STAGED,
            kinds={"duckdb"},
            description=(
                "Baseline demand forecast per family for each month of the horizon: the sum of its sku x region"
                " forecasts, with 80% and 95% intervals calibrated on the errors the family's total made at the"
                " rolling origins (its skus' errors move together). Grain: plan_month x product_family x month."
            ),
        ),
        dg.AssetSpec(
            tables.FORECAST_BACKTEST,
            metadata=catalog(tables.FORECAST_BACKTEST),
            deps=tables.STAGED,
            kinds={"duckdb"},
            description=(
                "How every model, the combination and the new-item method forecast the newest rolling origin,"
                " learned from the older ones, and the family totals: WAPE, bias and the coverage of the 80% and"
                " 95% intervals. Grain: plan_month x level x segment x method."
            ),
        ),
    ],
    check_specs=audit_specs(tables.SKU_FORECAST, tables.FAMILY_FORECAST, tables.FORECAST_BACKTEST),
    partitions_def=plan_months,
    group_name="forecast",
    pool=WAREHOUSE_POOL,
)
def baseline_forecast(context: dg.AssetExecutionContext, storage: SopStorage):
    plan_month = plan_month_of(context)
    with storage.connect() as con:
        settings = storage.settings
        result = forecast_month(con, plan_month, settings.forecast, ProgressLog(context.log), settings.checks)
        checks = hand_over_drafts(
            context, con, plan_month, tables.SKU_FORECAST, tables.FAMILY_FORECAST, tables.FORECAST_BACKTEST
        )
    forecast = result.forecast
    methods = forecast.group_by("segment", "model").agg(pl.len().alias("rows")).sort("segment", "model")
    yield dg.MaterializeResult(
        asset_key=tables.SKU_FORECAST,
        metadata={
            "dagster/row_count": forecast.height,
            "series": forecast.select("sku", "region").n_unique(),
            "methods": dg.MetadataValue.md(markdown_table(methods)),
            "preview": dg.MetadataValue.md(markdown_table(forecast)),
        },
    )
    yield dg.MaterializeResult(
        asset_key=tables.FAMILY_FORECAST,
        metadata={
            "dagster/row_count": result.families.height,
            "families": result.families["product_family"].n_unique(),
            "preview": dg.MetadataValue.md(markdown_table(result.families)),
        },
    )
    yield dg.MaterializeResult(
        asset_key=tables.FORECAST_BACKTEST,
        metadata={
            "dagster/row_count": result.backtest.height,
            "backtest": dg.MetadataValue.md(markdown_table(result.backtest, max_rows=30)),
        },
    )
    yield from checks
