-- meeting_new_items: 7. Are we on track with new products? Every item forecast as new (less than
-- two years of sales) in the latest plan, its forecast over the horizon and its share of its family.
-- Grain: one row per sku x region of the latest plan month.
with latest as (
    select * from sku_forecast where plan_month = (select max(plan_month) from consolidated_plan)
),

family_total as (
    select product_family, sum(forecast_units) as family_units from latest group by product_family
)

select
    latest.plan_month,
    latest.product_family,
    latest.sku,
    latest.region,
    sum(latest.forecast_units) as forecast_units,
    sum(latest.forecast_lo_80) as forecast_lo_80,
    sum(latest.forecast_hi_80) as forecast_hi_80,
    sum(latest.forecast_units) / nullif(any_value(family_total.family_units), 0) as share_of_family
from latest
inner join family_total using (product_family)
where latest.segment = 'new'
group by latest.plan_month, latest.product_family, latest.sku, latest.region
order by latest.product_family, latest.sku, latest.region
