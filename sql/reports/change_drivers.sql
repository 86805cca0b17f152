-- change_drivers: 1. What has changed since last month? Per plan month and family, plan revenue over
-- the months both plans cover, last month's and this month's, with the change split into its drivers
-- (demand, supply, price) and the change in the variance to budget adding the budget effect.
-- Grain: one row per plan_month x product_family; none for a plan month without an earlier plan.
with by_family as (
    select
        plan_month,
        product_family,
        sum(prev_plan_revenue) as prev_plan_revenue,
        sum(demand_effect) as demand_effect,
        sum(supply_effect) as supply_effect,
        sum(price_effect) as price_effect,
        sum(plan_revenue) as plan_revenue,
        sum(change_forecast_units) as change_forecast_units,
        sum(change_consensus_units) as change_consensus_units,
        sum(change_adjustment_units) as change_adjustment_units,
        sum(change_plan_revenue) as change_plan_revenue,
        sum(budget_effect) as budget_effect,
        sum(change_variance_revenue) as change_variance_revenue
    from plan_changes
    group by plan_month, product_family
)

select *, row_number() over (partition by plan_month order by product_family) as position
from by_family
