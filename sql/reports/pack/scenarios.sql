-- scenarios: what if? Each scenario of the plan month against the base plan, over the whole horizon:
-- demand, revenue, margin and unmet demand, and the risks it raises.
-- Grain: one row per scenario of the plan month, the base plan first.
with plans as (
    select
        scenario,
        any_value(scenario_description) as what_if,
        sum(forecast_units) as demand_units,
        sum(plan_revenue) as plan_revenue,
        sum(plan_gross_margin) as plan_gross_margin,
        sum(unmet_demand_units) as unmet_demand_units
    from consolidated_plan
    where plan_month = $plan_month
    group by scenario
),

risks as (
    select
        scenario,
        count(*) as risks,
        count(*) filter (where severity = 'high') as high_risks
    from risk_register
    where plan_month = $plan_month
    group by scenario
),

base as (
    select * from plans where scenario = 'base'
)

select
    plans.scenario,
    plans.what_if,
    plans.demand_units,
    plans.plan_revenue,
    plans.plan_revenue - base.plan_revenue as revenue_vs_base,
    plans.plan_gross_margin,
    plans.plan_gross_margin - base.plan_gross_margin as margin_vs_base,
    plans.unmet_demand_units,
    plans.unmet_demand_units - base.unmet_demand_units as unmet_vs_base,
    coalesce(risks.risks, 0) as risks,
    coalesce(risks.high_risks, 0) as high_risks
from plans
cross join base
left join risks on risks.scenario = plans.scenario
order by plans.scenario != 'base', plans.scenario
