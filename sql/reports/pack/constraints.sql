-- constraints: 8. Do we have critical constraints? Demand against capacity for every family and month
-- of the plan, with what goes unmet and where stock falls below safety stock.
-- Grain: one row per product_family x month of the plan month.
select
    product_family,
    month,
    forecast_units,
    capacity_units,
    supply_units,
    capacity_utilization,
    unmet_demand_units,
    projected_inventory_units,
    safety_stock_units
from consolidated_plan
where plan_month = $plan_month and scenario = 'base'
order by product_family, month
