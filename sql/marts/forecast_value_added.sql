-- forecast_value_added: the forecast value added of each touch point of the demand review, judged on
-- the trailing months like the forecast itself (forecast_accuracy), per family and in total.
-- Grain: one row per plan_month x lag x level x product_family x step.
-- The stairstep of the forecast of each judged month, as the plan month that published it built it:
-- the seasonal naive, the statistical forecast, the forecast after each source's changes (in the
-- order they land: sales, marketing, finance, supply, executive), and the consensus. A source's step
-- adds what its changes did as they landed (demand_adjustments.contribution_units), so the last
-- source's step is the consensus. A source's step is listed where its changes touched the family (or,
-- in total, any family) in a judged month. fva: the step before's WAPE minus this step's, above zero
-- where the step made the forecast better; for the consensus, over the statistical forecast: the value
-- the whole review added. A plan month from before the demand review has a consensus equal to its forecast.
with judged as (
    select lag, level, product_family, month, forecast_plan_month, actual_units, naive_units, forecast_units
    from draft.forecast_accuracy
    where plan_month = $plan_month and level in ('family', 'total')
),

steps as (
    select unnest($steps::varchar[]) as step, generate_subscripts($steps::varchar[], 1) as step_order
),

changes as (
    -- What each source's changes did to each family and month of the forecasts judged.
    select plan_month as forecast_plan_month, month, product_family, source,
        sum(contribution_units) as contribution_units, list(owner) as owners
    from int_record_demand_adjustments
    where plan_month in (select forecast_plan_month from judged)
    group by plan_month, month, product_family, source
),

step_changes as (
    select judged.lag, judged.level, judged.product_family, judged.month, changes.source,
        sum(changes.contribution_units) as contribution_units, flatten(list(changes.owners)) as owners
    from judged
    inner join changes
        on changes.forecast_plan_month = judged.forecast_plan_month
        and changes.month = judged.month
        and (judged.level = 'total' or changes.product_family = judged.product_family)
    group by judged.lag, judged.level, judged.product_family, judged.month, changes.source
),

stairs as (
    select
        judged.lag,
        judged.level,
        judged.product_family,
        judged.month,
        steps.step,
        steps.step_order,
        judged.actual_units,
        step_changes.source is not null as changed,
        step_changes.owners,
        case steps.step
            when 'naive' then judged.naive_units
            else judged.forecast_units + sum(coalesce(step_changes.contribution_units, 0)) over (
                partition by judged.lag, judged.level, judged.product_family, judged.month
                order by steps.step_order rows unbounded preceding
            )
        end as forecast_units
    from judged
    cross join steps
    left join step_changes
        on step_changes.lag = judged.lag
        and step_changes.level = judged.level
        and step_changes.product_family is not distinct from judged.product_family
        and step_changes.month = judged.month
        and step_changes.source = steps.step
),

summarized as (
    select
        lag,
        level,
        product_family,
        step,
        step_order,
        count(*) as months,
        count(*) filter (where changed) as changed_months,
        min(month) as first_month,
        max(month) as last_month,
        list_sort(list_distinct(flatten(list(owners) filter (where changed)))) as owners,
        sum(actual_units) as actual_units,
        sum(forecast_units) as forecast_units,
        sum(abs(forecast_units - actual_units)) / nullif(sum(actual_units), 0) as wape,
        sum(forecast_units - actual_units) / nullif(sum(actual_units), 0) as bias
    from stairs
    group by lag, level, product_family, step, step_order
),

with_fva as (
    select
        *,
        case
            when step = 'consensus' then max(wape) filter (where step = 'statistical') over family_steps
            else lag(wape) over (family_steps order by step_order)
        end - wape as fva
    from summarized
    window family_steps as (partition by lag, level, product_family)
),

final as (
    select
        $plan_month::date as plan_month,
        lag::integer as lag,
        level::varchar as level,
        product_family::varchar as product_family,
        step::varchar as step,
        step_order::integer as step_order,
        months::integer as months,
        (case when step not in ('naive', 'statistical', 'consensus') then changed_months end)::integer
            as changed_months,
        first_month::date as first_month,
        last_month::date as last_month,
        array_to_string(owners, ', ')::varchar as owners,
        actual_units::double as actual_units,
        forecast_units::double as forecast_units,
        wape::double as wape,
        bias::double as bias,
        fva::double as fva
    from with_fva
    where step in ('naive', 'statistical', 'consensus') or changed_months > 0
)

select * from final
order by lag, level, product_family, step_order
