-- new_items: 7. Are we on track with new products? Per plan month, every item forecast as new (under
-- two years of sales), its forecast over the horizon and its share of its family's.
-- Grain: one row per plan_month x sku x region forecast as new.
with series as (
    -- One pass over the forecast, so that a filter on plan_month reaches its scan.
    select
        plan_month,
        product_family,
        sku,
        region,
        segment,
        sum(forecast_units) as forecast_units,
        sum(forecast_lo_80) as forecast_lo_80,
        sum(forecast_hi_80) as forecast_hi_80,
        sum(sum(forecast_units)) over (partition by plan_month, product_family) as family_units
    from sku_forecast
    group by plan_month, product_family, sku, region, segment
),

items as (
    select
        plan_month,
        product_family,
        sku,
        region,
        forecast_units,
        forecast_lo_80,
        forecast_hi_80,
        forecast_units / nullif(family_units, 0) as share_of_family
    from series
    where segment = 'new'
)

select *, row_number() over (partition by plan_month order by product_family, sku, region) as position
from items
