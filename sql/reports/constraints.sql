-- constraints: 8. Do we have critical constraints? Per plan month, demand (the consensus) against capacity for every
-- family and month of the base plan, what goes unmet and where stock falls below safety stock, and
-- whether the month is constrained: flagged for unmet demand, capacity overload or stock under safety
-- stock (the risk register's rules, sql/marts/consolidated_plan.sql).
-- Grain: one row per plan_month x product_family x month of the horizon.
select
    plan_month,
    product_family,
    month,
    forecast_units,
    consensus_units,
    capacity_units,
    supply_units,
    prebuild_units,
    capacity_utilization,
    unmet_demand_units,
    projected_inventory_units,
    safety_stock_units,
    risk_flags,
    risk_level,
    list_has_any(risk_flags, ['unmet_demand', 'capacity_overload', 'below_safety_stock']) as constrained,
    row_number() over (partition by plan_month order by product_family, month) as position
from consolidated_plan
where scenario = 'base'
