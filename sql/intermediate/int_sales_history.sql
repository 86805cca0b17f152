-- int_sales_history: the monthly unit history per sku x region that the baseline forecast reads.
-- Grain: one row per sku x region x month with sales (months without a row are zero sales).
select
    sku,
    region,
    product_family,
    month,
    units
from stg_sales
where plan_month = $plan_month
order by sku, region, month
