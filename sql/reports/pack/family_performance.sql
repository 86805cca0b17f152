-- family_performance: 3. How are the product families performing? Units per family and month: the
-- last twelve months of actuals, then the plan over the horizon, each with its budget.
-- Grain: one row per product_family x month.
with actuals as (
    select product_family, month, sum(units) as actual_units
    from stg_sales
    where plan_month = $plan_month and month >= $plan_month - interval 12 month
    group by product_family, month
),

budget as (
    select product_family, month, sum(budget_units) as budget_units
    from stg_financials
    where plan_month = $plan_month
    group by product_family, month
),

planned as (
    select product_family, month, forecast_units as plan_units
    from consolidated_plan
    where plan_month = $plan_month and scenario = 'base'
)

select
    product_family,
    month,
    actuals.actual_units,
    planned.plan_units,
    budget.budget_units
from actuals
full join planned using (product_family, month)
left join budget using (product_family, month)
order by product_family, month
