-- meeting_changes: 1. What has changed since last month? The latest plan against the one before,
-- per family over the months both cover, with the revenue change split into its drivers.
-- Grain: one row per product_family of the latest plan month.
select
    plan_month,
    product_family,
    sum(change_forecast_units) as change_forecast_units,
    sum(change_plan_revenue) as change_plan_revenue,
    sum(demand_effect) as demand_effect,
    sum(supply_effect) as supply_effect,
    sum(price_effect) as price_effect,
    sum(budget_effect) as budget_effect,
    sum(change_variance_revenue) as change_variance_revenue
from plan_changes
where plan_month = (select max(plan_month) from consolidated_plan)
group by plan_month, product_family
order by product_family
