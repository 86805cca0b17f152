-- scorecard: the numbers the executive meeting tracks month to month, each beside its value of the
-- plan month before and whether it got better: lag-1 forecast error (WAPE) and bias in total, the demand
-- review's value added (consensus against statistical, lag 1, points), the near term's fill rate
-- (plan_settings.near_term_months), the stock at the end of the plan month in days of demand and in
-- money (at the families' cost per unit over the horizon, unit_values), revenue and margin against budget for every
-- whole year of the horizon, and the follow-through of the last three months. `trend`: better, worse or
-- unchanged (as shown: a tenth of a point, whole days and money); up or down for the stock, where neither way is better; null
-- without last month's value.
-- Grain: one row per plan_month x measure.
with accuracy as (
    select plan_month, wape, bias
    from forecast_accuracy_summary
    where level = 'total' and lag = 1
),

value_added as (
    select plan_month, fva
    from forecast_value_added
    where level = 'total' and lag = 1 and step = 'consensus'
),

plan as (
    select plan.*
    from consolidated_plan as plan
    where plan.scenario = 'base'
),

fill_rate as (
    select plan.plan_month, 1 - sum(plan.unmet_demand_units) / nullif(sum(plan.consensus_units), 0) as fill_rate
    from plan
    inner join plan_settings using (plan_month)
    where plan.month < plan.plan_month + to_months(plan_settings.near_term_months)
    group by plan.plan_month
),

stock as (
    select
        plan.plan_month,
        sum(plan.projected_inventory_units) / nullif(sum(plan.consensus_units), 0) * day(last_day(plan.plan_month))
            as stock_days,
        sum(plan.projected_inventory_units * unit_values.unit_cost) as stock_value
    from plan
    inner join unit_values using (plan_month, product_family)
    where plan.month = plan.plan_month
    group by plan.plan_month
),

budget as (
    -- The rows question 4 shows: every year the horizon covers to December, in total.
    select plan_month, year, gap_revenue_pct, gap_margin / nullif(budget_margin, 0) as gap_margin_pct
    from financial_review
    where level = 'total' and whole_year_in_horizon
),

measures as (
    select plan_month, 1 as position, 'Forecast error, lag-1 WAPE' as measure, 'share' as unit, wape as value, -1 as sense
    from accuracy
    union all
    select plan_month, 2, 'Forecast bias, lag 1', 'share', bias, 0 from accuracy
    union all
    select plan_month, 3, 'Value added by the demand review', 'points', fva, 1 from value_added
    union all
    select plan_month, 4, 'Fill rate, near term', 'share', fill_rate, 1 from fill_rate
    union all
    select plan_month, 5, 'Stock at the end of the month, days of demand', 'days', stock_days, null from stock
    union all
    select plan_month, 6, 'Stock at the end of the month, value', 'money', stock_value, null from stock
    union all
    select plan_month, 7, 'Revenue against budget, ' || year, 'share', gap_revenue_pct, 1 from budget
    union all
    select plan_month, 8, 'Margin against budget, ' || year, 'share', gap_margin_pct, 1 from budget
    union all
    select plan_month, 9, 'Follow-through of actions, last 3 months', 'share', follow_through, 1
    from follow_through
    where window_months = 3
),

compared as (
    select
        measures.*,
        -- Only the plan month just before is "last month": a gap in the months compares nothing.
        case
            when lag(plan_month) over (partition by measure order by plan_month) = plan_month - interval 1 month
                then lag(value) over (partition by measure order by plan_month)
        end as last_month_value
    from measures
),

shown as (
    -- Compared as the pack shows them (shares and points to a tenth of a point, days and money whole), so
    -- that two figures that read the same are unchanged.
    select
        *,
        case when unit in ('days', 'money') then round(value) else round(value * 100, 1) end as now_shown,
        case when unit in ('days', 'money') then round(last_month_value) else round(last_month_value * 100, 1) end
            as last_shown
    from compared
)

select
    plan_month,
    measure,
    unit,
    value,
    last_month_value,
    case
        when last_shown is null or now_shown is null then null
        when sense = 0 and abs(now_shown) = abs(last_shown) then 'unchanged'
        when now_shown = last_shown then 'unchanged'
        when sense is null then case when now_shown > last_shown then 'up' else 'down' end
        when sense = 1 and now_shown > last_shown then 'better'
        when sense = -1 and now_shown < last_shown then 'better'
        when sense = 0 and abs(now_shown) < abs(last_shown) then 'better'
        else 'worse'
    end as trend,
    row_number() over (partition by plan_month order by position, measure) as position
from shown
