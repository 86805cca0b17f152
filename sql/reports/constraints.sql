-- constraints: 8. Do we have critical constraints? Per plan month, demand against capacity for every
-- family and month of the base plan, what goes unmet and where stock falls below safety stock, and
-- whether the month is constrained (demand above capacity, demand unmet or stock under safety stock).
-- Grain: one row per plan_month x product_family x month of the horizon.
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
    risk_level,
    forecast_units > capacity_units
        or unmet_demand_units > 0
        or projected_inventory_units < safety_stock_units as constrained,
    row_number() over (partition by plan_month order by product_family, month) as position
from consolidated_plan
where scenario = 'base'
