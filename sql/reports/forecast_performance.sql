-- forecast_performance: 2. How are we executing against performance metrics? Per plan month, the
-- forecast accuracy and bias of every family and in total at lags 1 and 3 over the trailing months,
-- with the base plan's capacity use and fill rate in the near term (plan_settings.near_term_months).
-- Grain: one row per plan_month x lag x level (family, total) x product_family (null: the total).
with near_term as (
    select
        plan.plan_month,
        plan.product_family,
        avg(plan.capacity_utilization) as capacity_utilization_near_term,
        1 - sum(plan.unmet_demand_units) / nullif(sum(plan.consensus_units), 0) as fill_rate_near_term
    from consolidated_plan as plan
    inner join plan_settings using (plan_month)
    where plan.scenario = 'base' and plan.month < plan.plan_month + to_months(plan_settings.near_term_months)
    group by plan.plan_month, plan.product_family
),

performance as (
    select
        accuracy.plan_month,
        accuracy.lag,
        accuracy.level,
        accuracy.product_family,
        accuracy.months,
        accuracy.wape,
        accuracy.bias,
        accuracy.mase,
        accuracy.fva,
        accuracy.coverage_80,
        near_term.capacity_utilization_near_term,
        near_term.fill_rate_near_term
    from forecast_accuracy_summary as accuracy
    left join near_term using (plan_month, product_family)
    where accuracy.level in ('family', 'total')
)

select *, row_number() over (partition by plan_month order by lag, product_family nulls last) as position
from performance
