-- unit_values: what a unit of each family is worth in the base plan: its average price, gross margin
-- and cost per shipped unit over the horizon, in the company's currency (plan_settings.currency). What
-- the money at stake of a risk (risk_episodes) and the value of stock (scorecard) are counted at.
-- Grain: one row per plan_month x product_family.
select
    plan_month,
    product_family,
    sum(plan_revenue) / nullif(sum(consensus_units - unmet_demand_units), 0) as unit_revenue,
    sum(plan_gross_margin) / nullif(sum(consensus_units - unmet_demand_units), 0) as unit_margin,
    sum(plan_cogs) / nullif(sum(consensus_units - unmet_demand_units), 0) as unit_cost
from consolidated_plan
where scenario = 'base'
group by plan_month, product_family
