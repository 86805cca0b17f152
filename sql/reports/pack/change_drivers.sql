-- change_drivers: 1. What has changed since last month? Plan revenue over the months both plans cover,
-- last month's and this month's, with the change split into its drivers, per family.
-- Grain: one row per product_family of the plan month; none when there is no earlier plan.
select
    product_family,
    sum(prev_plan_revenue) as prev_plan_revenue,
    sum(demand_effect) as demand_effect,
    sum(supply_effect) as supply_effect,
    sum(price_effect) as price_effect,
    sum(plan_revenue) as plan_revenue,
    sum(change_forecast_units) as change_forecast_units
from plan_changes
where plan_month = $plan_month
group by product_family
order by product_family
