-- new_items: 7. Are we on track with new products? Per plan month, every item forecast as new (under
-- two years of sales), its forecast over the horizon and its share of its family's.
-- Grain: one row per plan_month x sku x region forecast as new.
with family_total as (
    select plan_month, product_family, sum(forecast_units) as family_units
    from sku_forecast
    group by plan_month, product_family
),

items as (
    select
        forecast.plan_month,
        forecast.product_family,
        forecast.sku,
        forecast.region,
        sum(forecast.forecast_units) as forecast_units,
        sum(forecast.forecast_lo_80) as forecast_lo_80,
        sum(forecast.forecast_hi_80) as forecast_hi_80,
        sum(forecast.forecast_units) / nullif(any_value(family_total.family_units), 0) as share_of_family
    from sku_forecast as forecast
    inner join family_total using (plan_month, product_family)
    where forecast.segment = 'new'
    group by forecast.plan_month, forecast.product_family, forecast.sku, forecast.region
)

select *, row_number() over (partition by plan_month order by product_family, sku, region) as position
from items
