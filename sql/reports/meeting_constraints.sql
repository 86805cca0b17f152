-- meeting_constraints: 8. Do we have critical constraints? The months of the latest plan where demand
-- tops capacity, demand goes unmet or stock falls under safety stock.
-- Grain: one row per product_family x month of the latest plan month with a constraint.
select
    plan_month,
    product_family,
    month,
    forecast_units,
    capacity_units,
    supply_units,
    prebuild_units,
    capacity_utilization,
    unmet_demand_units,
    projected_inventory_units,
    safety_stock_units,
    risk_level
from consolidated_plan
where plan_month = (select max(plan_month) from consolidated_plan)
    and scenario = 'base'
    and (forecast_units > capacity_units or unmet_demand_units > 0 or projected_inventory_units < safety_stock_units)
order by product_family, month
