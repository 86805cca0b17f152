-- int_statistical_demand: the statistical forecast the demand review starts from.
-- Grain: one row per sku x region x month of the horizon.
select sku, region, product_family, month, forecast_units as units
from draft.sku_forecast
where plan_month = $plan_month
order by sku, region, month
