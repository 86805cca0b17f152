-- long_term: 9. Does the long-term plan need revising? Per family, demand against the budget over the
-- second half of the horizon (months 13 on).
-- Grain: one row per product_family of the plan month.
with horizon as (
    select
        *,
        row_number() over (partition by product_family order by month) as months_ahead
    from consolidated_plan
    where plan_month = $plan_month and scenario = 'base'
)

select
    product_family,
    min(month) as from_month,
    max(month) as to_month,
    sum(forecast_units) as forecast_units,
    sum(budget_units) as budget_units,
    (sum(forecast_units) - sum(budget_units)) / nullif(sum(budget_units), 0) as gap_pct
from horizon
where months_ahead >= 13
group by product_family
order by product_family
