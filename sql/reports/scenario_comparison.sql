-- scenario_comparison: what if? Per plan month, each scenario against the base plan over the whole
-- horizon: demand, revenue, margin and unmet demand, and the risks it raises (risk episodes, as the
-- register is shown, and those of high severity).
-- Grain: one row per plan_month x scenario, the base plan first.
with plans as (
    select
        plan_month,
        scenario,
        any_value(scenario_description) as what_if,
        sum(consensus_units) as demand_units,
        sum(plan_revenue) as plan_revenue,
        sum(plan_gross_margin) as plan_gross_margin,
        sum(unmet_demand_units) as unmet_demand_units
    from consolidated_plan
    group by plan_month, scenario
),

islands as (
    -- Counted as the register is shown (risk_episodes): a family's risk over consecutive months is one.
    select
        *,
        date_diff('month', plan_month, month)
        - row_number() over (partition by plan_month, scenario, product_family, kind, subject order by month)
            as island
    from risk_register
),

episodes as (
    select plan_month, scenario, bool_or(severity = 'high') as high
    from islands
    group by plan_month, scenario, product_family, kind, subject, coalesce(island, 0)
),

risks as (
    select
        plan_month,
        scenario,
        count(*) as risks,
        count(*) filter (where high) as high_risks
    from episodes
    group by plan_month, scenario
),

base as (
    select * from plans where scenario = 'base'
),

comparison as (
    select
        plans.plan_month,
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
    inner join base using (plan_month)
    left join risks on risks.plan_month = plans.plan_month and risks.scenario = plans.scenario
)

select *, row_number() over (partition by plan_month order by scenario != 'base', scenario) as position
from comparison
