-- int_risk_candidates: the risks of the plan month with their history, before severities and actions
-- are added (sop/plan/risks.py), in the base plan or a scenario. Grain: one row per product_family x
-- kind x month; family-wide and year-wide risks have no month, data-quality risks no family. Generic
-- fields for the action templates: period (the month, year or range as text), measure (the number that
-- raised it), reference (the number it compares with), subject (what it is about: the rule broken for
-- data quality, the source for an adjustment that hurts accuracy) and owners (the source's owners).
-- severity is null but where a rule raises its risk above the kind's (RiskConfig.severity).
-- Each risk is new, or recurring since the plan month that first raised it when last month's
-- register of the same plan (base or scenario) had it: same family, kind, month and subject.
with plan as (
    select *, row_number() over (partition by product_family order by month) as months_ahead
    from draft.consolidated_plan
    where plan_month = $plan_month and scenario = $scenario
),

monthly_risks as (
    -- The plan's risk_flags, judged where the plan is built (sql/marts/consolidated_plan.sql), with the
    -- number that raised each and the one it compares with.
    select
        product_family,
        kind,
        month,
        case kind
            when 'unmet_demand' then unmet_demand_units
            when 'capacity_overload' then consensus_units - capacity_units
            when 'below_safety_stock' then safety_stock_units - projected_inventory_units
            when 'excess_inventory' then excess_inventory_units
        end as measure,
        case kind
            when 'unmet_demand' then capacity_utilization
            -- The stock at the start of the month (end of month + shipped - made) that covers the overload.
            when 'capacity_overload' then projected_inventory_units + consensus_units - unmet_demand_units - supply_units
            when 'below_safety_stock' then safety_stock_units
            when 'excess_inventory' then excess_inventory_units / nullif(consensus_units / day(last_day(month)), 0)
        end as reference
    from (select *, unnest(risk_flags) as kind from plan)
),

revenue_below_budget as (
    -- Judged on whole years only: actuals so far plus a plan for every month left, against a full budget.
    select
        product_family, 'revenue_below_budget' as kind, make_date(year, 1, 1) as month, gap_revenue_pct as measure,
        gap_revenue as reference
    from draft.financial_outlook
    left join family_thresholds as own using (product_family)
    where plan_month = $plan_month
        and scenario = $scenario
        and level = 'family'
        and budget_months = 12
        and plan_months + (case when year = year($plan_month) then month($plan_month) - 1 else 0 end) = 12
        and gap_revenue_pct <= coalesce(own.revenue_gap_pct, $revenue_gap_pct)
),

long_horizon as (
    select
        product_family,
        min(month) as first_month,
        max(month) as last_month,
        sum(consensus_units) as demand_units,
        sum(budget_units) as budget_units,
        count(budget_units) = count(*) as budgeted
    from plan
    left join family_thresholds as own using (product_family)
    where months_ahead >= coalesce(own.long_horizon_from, $long_horizon_from)
    group by product_family
),

long_horizon_gap as (
    select
        product_family, 'long_horizon_gap' as kind, null::date as month,
        (demand_units - budget_units) / nullif(budget_units, 0) as measure, demand_units - budget_units as reference,
        strftime(first_month, '%Y-%m') || ' to ' || strftime(last_month, '%Y-%m') as period
    from long_horizon
    left join family_thresholds as own using (product_family)
    where budgeted and abs(demand_units - budget_units) >= coalesce(own.long_horizon_gap_pct, $long_gap_pct) * budget_units
),

low_forecast_accuracy as (
    -- Lag 1 over the recent months, judged on enough months to tell a bad forecast from a bad month.
    select product_family, 'low_forecast_accuracy' as kind, null::date as month, wape as measure, bias as reference
    from draft.forecast_accuracy_summary
    left join family_thresholds as own using (product_family)
    where plan_month = $plan_month
        and level = 'family'
        and lag = 1
        and months >= $accuracy_min_months
        and (wape > coalesce(own.wape_limit, $wape_limit) or abs(bias) > coalesce(own.bias_limit, $bias_limit))
),

adjustment_hurts_accuracy as (
    -- A source of the demand review whose changes made a family's lag-1 forecast worse, over enough
    -- months in which it changed it to tell a habit from a bad call.
    select
        product_family, 'adjustment_hurts_accuracy' as kind, null::date as month, -fva as measure,
        wape + fva as reference, step as subject, owners,
        strftime(first_month, '%Y-%m') || ' to ' || strftime(last_month, '%Y-%m') as period
    from draft.forecast_value_added
    where plan_month = $plan_month
        and level = 'family'
        and lag = 1
        and step in (select unnest($sources::varchar[]))
        and changed_months >= $accuracy_min_months
        and -fva > $harmful_fva
),

overdue_action as (
    -- An open action of the meeting past its due month; its owner and how often it slipped go with it.
    -- Late by more than $overdue_high_after_months months, it is high whatever the kind's severity.
    select
        product_family, 'overdue_action' as kind, null::date as month, months_overdue::double as measure,
        times_slipped::double as reference, action_id || ' (' || description || ')' as subject, owner as owners,
        strftime(due_month, '%Y-%m') as period,
        case when months_overdue > $overdue_high_after_months then 'high' end as severity
    from draft.action_log
    where plan_month = $plan_month and open and months_overdue > 0
),

data_quality as (
    -- The warnings of the month's extracts (errors stopped the month before this): a contract rule broken,
    -- or what a check against history found, with the family and months it concerns.
    select
        product_family, 'data_quality' as kind, null::date as month,
        failing_rows::double as measure, null::double as reference, coalesce(months, extract) as period,
        case
            when check_name like '%\_history' escape '\' then rule
            else extract || ' extract, column `' || column_name || '`, rule: ' || rule
        end as subject
    from validation_results
    where plan_month = $plan_month and severity = 'warning'
),

monthly as (
    select *, strftime(month, '%Y-%m') as period, null::varchar as subject from monthly_risks
    union all by name
    select *, strftime(month, '%Y') as period, null::varchar as subject from revenue_below_budget
    union all by name
    select *, null::varchar as period, null::varchar as subject from low_forecast_accuracy
),

candidates as (
    select * from monthly
    union all by name
    select *, null::varchar as subject from long_horizon_gap
    union all by name
    select * from adjustment_hurts_accuracy
    union all by name
    select * from overdue_action
    union all by name
    select * from data_quality
),

previous_register as (
    -- A risk once (its key is unique in a register; distinct guards the join all the same).
    select distinct on (product_family, kind, month, subject)
        product_family, kind, month, subject, first_seen_plan_month
    from risk_register
    where plan_month = $previous_plan_month and scenario = $scenario
),

final as (
    select
        candidates.product_family,
        candidates.kind,
        candidates.month,
        candidates.period,
        candidates.measure,
        candidates.reference,
        candidates.subject,
        candidates.owners,
        candidates.severity,
        case when previous_register.kind is null then 'new' else 'recurring' end as status,
        coalesce(previous_register.first_seen_plan_month, $plan_month::date) as first_seen_plan_month
    from candidates
    left join previous_register
        on candidates.product_family is not distinct from previous_register.product_family
        and candidates.kind = previous_register.kind
        and candidates.month is not distinct from previous_register.month
        and candidates.subject is not distinct from previous_register.subject
)

select * from final
order by product_family nulls last, kind, month nulls first, subject
