-- meeting_performance: 2. How are we executing? Forecast accuracy and bias per family and in total
-- (lags 1 and 3), with the capacity use and service of the latest plan's first three months.
-- Grain: one row per lag x product_family (null: the total) of the latest plan month.
with latest as (
    select max(plan_month) as plan_month from consolidated_plan
),

near_term as (
    select
        product_family,
        avg(capacity_utilization) as capacity_utilization_next_3_months,
        1 - sum(unmet_demand_units) / nullif(sum(forecast_units), 0) as fill_rate_next_3_months
    from consolidated_plan
    where plan_month = (select plan_month from latest)
        and scenario = 'base'
        and month < (select plan_month from latest) + interval 3 month
    group by product_family
)

select
    accuracy.plan_month,
    accuracy.lag,
    accuracy.product_family,
    accuracy.months,
    accuracy.wape,
    accuracy.bias,
    accuracy.mase,
    accuracy.fva,
    near_term.capacity_utilization_next_3_months,
    near_term.fill_rate_next_3_months
from forecast_accuracy_summary as accuracy
left join near_term using (product_family)
where accuracy.plan_month = (select plan_month from latest) and accuracy.level in ('family', 'total')
order by accuracy.lag, accuracy.product_family nulls last
