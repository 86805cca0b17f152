-- audit_supply_and_stock_not_negative: what the plan makes, holds and builds ahead is never below zero.
-- Rows of draft.consolidated_plan that break it.
select scenario, product_family, month, supply_units, projected_inventory_units, prebuild_units
from draft.consolidated_plan
where plan_month = $plan_month
    and least(supply_units, projected_inventory_units, prebuild_units) < 0
order by scenario, product_family, month
