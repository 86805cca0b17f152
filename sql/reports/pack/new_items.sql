-- new_items: 7. Are we on track with new products? Per family, the items forecast as new (under two
-- years of sales), their forecast over the horizon and their share of the family's.
-- Grain: one row per product_family of the plan month with new items.
with forecast as (
    select * from sku_forecast where plan_month = $plan_month
)

select
    product_family,
    count(distinct sku) filter (where segment = 'new') as new_skus,
    sum(forecast_units) filter (where segment = 'new') as new_forecast_units,
    sum(forecast_units) filter (where segment = 'new') / nullif(sum(forecast_units), 0) as share_of_family
from forecast
group by product_family
having count(*) filter (where segment = 'new') > 0
order by product_family
