-- audit_family_demand_is_its_skus: the base plan's demand per family and month is the sum of its sku x
-- region series: the statistical forecast (draft.sku_forecast) and the consensus (draft.demand_plan), with
-- no series lost or counted twice. Rows of the base plan (or a family the series have and the plan lacks)
-- that break it.
with series as (
    select product_family, month, sum(forecast.forecast_units) as sku_forecast_units,
        sum(demand.consensus_units) as sku_consensus_units
    from draft.sku_forecast as forecast
    full join draft.demand_plan as demand using (plan_month, sku, region, product_family, month)
    where plan_month = $plan_month
    group by product_family, month
),

plan as (
    select product_family, month, forecast_units, consensus_units
    from draft.consolidated_plan
    where plan_month = $plan_month and scenario = 'base'
)

select product_family, month, plan.forecast_units, series.sku_forecast_units,
    plan.consensus_units, series.sku_consensus_units
from plan
full join series using (product_family, month)
where not abs(plan.forecast_units - series.sku_forecast_units) <= 1e-9 * abs(series.sku_forecast_units) + 1e-6
    or not abs(plan.consensus_units - series.sku_consensus_units) <= 1e-9 * abs(series.sku_consensus_units) + 1e-6
    or plan.forecast_units is null
    or series.sku_forecast_units is null
    or plan.consensus_units is null
    or series.sku_consensus_units is null
order by product_family, month
