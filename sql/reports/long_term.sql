-- long_term: 9. Does the long-term plan need revising? Per plan month and family, the base plan's demand
-- (the consensus) against the budget from month plan_settings.long_horizon_from of the horizon on, or the
-- family's own start (where the risk register starts judging the long term), and whether the register
-- raised the gap.
-- Grain: one row per plan_month x product_family.
with horizon as (
    select
        *,
        row_number() over (partition by plan_month, product_family order by month) as months_ahead
    from consolidated_plan
    where scenario = 'base'
),

flagged as (
    select distinct plan_month, product_family
    from risk_register
    where scenario = 'base' and kind = 'long_horizon_gap'
),

long_term as (
    select
        horizon.plan_month,
        horizon.product_family,
        min(horizon.month) as from_month,
        max(horizon.month) as to_month,
        sum(horizon.consensus_units) as demand_units,
        sum(horizon.budget_units) as budget_units,
        (sum(horizon.consensus_units) - sum(horizon.budget_units)) / nullif(sum(horizon.budget_units), 0) as gap_pct,
        bool_or(flagged.product_family is not null) as flagged
    from horizon
    inner join plan_settings using (plan_month)
    left join flagged using (plan_month, product_family)
    -- A family's own start (risks.families.<family>.long_horizon_from in the month's settings) over the default.
    where horizon.months_ahead >= coalesce(
        (plan_settings.settings_values::json -> 'risks' -> 'families' -> horizon.product_family ->> 'long_horizon_from')
            ::integer,
        plan_settings.long_horizon_from
    )
    group by horizon.plan_month, horizon.product_family
)

select *, row_number() over (partition by plan_month order by product_family) as position
from long_term
