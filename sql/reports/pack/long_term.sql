-- long_term: 9. Does the long-term plan need revising? Per family, demand against the budget from
-- month $long_horizon_from of the horizon on, and whether the risk register raised the gap.
-- Grain: one row per product_family of the plan month.
with horizon as (
    select
        *,
        row_number() over (partition by product_family order by month) as months_ahead
    from consolidated_plan
    where plan_month = $plan_month and scenario = 'base'
),

flagged as (
    select distinct product_family
    from risk_register
    where plan_month = $plan_month and scenario = 'base' and kind = 'long_horizon_gap'
)

select
    horizon.product_family,
    min(month) as from_month,
    max(month) as to_month,
    sum(forecast_units) as forecast_units,
    sum(budget_units) as budget_units,
    (sum(forecast_units) - sum(budget_units)) / nullif(sum(budget_units), 0) as gap_pct,
    bool_or(flagged.product_family is not null) as flagged
from horizon
left join flagged using (product_family)
where months_ahead >= $long_horizon_from
group by horizon.product_family
order by horizon.product_family
