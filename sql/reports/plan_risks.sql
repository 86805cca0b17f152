-- plan_risks: every risk flag of every plan, one per row, with the numbers behind it.
-- Grain: one row per plan_month x product_family x month x flag.
with flags as (
    select *, unnest(risk_flags) as risk_flag
    from consolidated_plan
    where scenario = 'base'
)

select
    plan_month,
    product_family,
    month,
    risk_flag,
    risk_level,
    forecast_units,
    consensus_units,
    capacity_units,
    unmet_demand_units,
    projected_inventory_units,
    safety_stock_units,
    plan_revenue,
    budget_revenue,
    variance_revenue_pct
from flags
order by plan_month, product_family, month, risk_flag
