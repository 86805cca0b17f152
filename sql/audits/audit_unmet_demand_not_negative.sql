-- audit_unmet_demand_not_negative: no quantity of the plan is below zero (a negative unmet demand would be
-- shipments beyond demand): unmet demand, supply, stock and what is built ahead. Rows of
-- draft.consolidated_plan that break it.
select scenario, product_family, month, unmet_demand_units, supply_units, projected_inventory_units, prebuild_units
from draft.consolidated_plan
where plan_month = $plan_month
    and least(unmet_demand_units, supply_units, projected_inventory_units, prebuild_units) < 0
order by scenario, product_family, month
