"""Stage 4, forecast: the statistical baseline per sku x region over the horizon."""

import dagster as dg
import polars as pl

from pipelines.partitions import WAREHOUSE_POOL, plan_month_of, plan_months
from pipelines.resources import SopStorage
from sop.config import DEFAULT_CONFIG
from sop.forecast import forecast_month
from sop.markdown import markdown_table


# The forecast is published with the plan, so it waits for all four extracts to pass their
# checks: a bad inventory file must not leave a new forecast beside last run's plan.
@dg.asset(
    deps=["stg_sales", "stg_inventory", "stg_capacity", "stg_financials"],
    partitions_def=plan_months,
    group_name="forecast",
    pool=WAREHOUSE_POOL,
    kinds={"duckdb", "statsforecast"},
    description=(
        "Baseline demand forecast per sku x region for each month of the horizon, with 80% and 95%"
        " intervals (never negative) and the model that produced each row."
        " Grain: plan_month x sku x region x month."
    ),
)
def sku_forecast(context: dg.AssetExecutionContext, storage: SopStorage) -> dg.MaterializeResult:
    with storage.connect() as con:
        forecast = forecast_month(con, plan_month_of(context), DEFAULT_CONFIG.forecast)
    series = forecast.select("sku", "region").n_unique()
    models = forecast.group_by("model").agg(pl.len().alias("rows")).sort("model")
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": forecast.height,
            "series": series,
            "models": dg.MetadataValue.md(markdown_table(models)),
            "preview": dg.MetadataValue.md(markdown_table(forecast)),
        }
    )
