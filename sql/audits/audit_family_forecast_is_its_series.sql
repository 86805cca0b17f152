-- audit_family_forecast_is_its_series: each family's statistical forecast per month is the sum of its
-- sku x region forecasts (draft.sku_forecast), with no family or month lost, and its intervals hold it:
-- never negative, the 95% interval around the 80% one around the forecast. Rows of draft.family_forecast
-- (or a family and month the series have and it lacks) that break it.
with series as (
    select product_family, month, sum(forecast_units) as sku_forecast_units
    from draft.sku_forecast
    where plan_month = $plan_month
    group by product_family, month
),

families as (
    select * exclude (plan_month)
    from draft.family_forecast
    where plan_month = $plan_month
)

select product_family, month, families.* exclude (product_family, month), series.sku_forecast_units
from families
full join series using (product_family, month)
where not abs(families.forecast_units - series.sku_forecast_units) <= 1e-9 * abs(series.sku_forecast_units) + 1e-6
    or families.forecast_units is null
    or series.sku_forecast_units is null
    or not 0 <= families.forecast_lo_95
    or not families.forecast_lo_95 <= families.forecast_lo_80
    or not families.forecast_lo_80 <= families.forecast_units
    or not families.forecast_units <= families.forecast_hi_80
    or not families.forecast_hi_80 <= families.forecast_hi_95
order by product_family, month
