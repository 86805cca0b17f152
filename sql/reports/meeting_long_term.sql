-- meeting_long_term: 9. Does the long-term plan need revising? Per family, the forecast against the
-- budget over the second half of the horizon (months 13 on), and whether the register flags it.
-- Grain: one row per product_family of the latest plan month.
with latest as (
    select
        *,
        row_number() over (partition by product_family order by month) as months_ahead
    from consolidated_plan
    where plan_month = (select max(plan_month) from consolidated_plan) and scenario = 'base'
)

select
    plan_month,
    product_family,
    min(month) as from_month,
    max(month) as to_month,
    sum(forecast_units) as forecast_units,
    sum(budget_units) as budget_units,
    (sum(forecast_units) - sum(budget_units)) / nullif(sum(budget_units), 0) as gap_pct,
    exists (
        select 1 from risk_register
        where risk_register.plan_month = latest.plan_month
            and risk_register.product_family = latest.product_family
            and risk_register.kind = 'long_horizon_gap'
            and risk_register.scenario = 'base'
    ) as flagged
from latest
where months_ahead >= 13
group by plan_month, product_family
order by product_family
