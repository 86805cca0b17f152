-- int_adjustments: the plan month's changes to the statistical forecast, in file order.
-- Grain: one row per change (stg_adjustments' grain).
select month, product_family, sku, region, kind, value, source, owner, reason, _source_row
from stg_adjustments
where plan_month = $plan_month
order by _source_row
