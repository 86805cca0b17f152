-- family_performance: 3. How are the product families performing? Per plan month, units per family
-- and month: the last twelve months of actuals, then the base plan's demand (the consensus) over the
-- horizon, each with its budget.
-- Grain: one row per plan_month x product_family x month.
with actuals as (
    select plan_month, product_family, month, sum(units) as actual_units, null::double as plan_units
    from stg_sales
    where month >= plan_month - interval 12 month
    group by plan_month, product_family, month
),

planned as (
    select plan_month, product_family, month, null::double as actual_units, consensus_units as plan_units
    from consolidated_plan
    where scenario = 'base'
),

budget as (
    select plan_month, product_family, month, sum(budget_units) as budget_units
    from stg_financials
    group by plan_month, product_family, month
),

months as (
    -- Actuals end at the month before the plan's first: the two never meet.
    select * from actuals
    union all
    select * from planned
)

select
    months.plan_month,
    months.product_family,
    months.month,
    months.actual_units,
    months.plan_units,
    budget.budget_units,
    row_number() over (partition by months.plan_month order by months.product_family, months.month) as position
from months
left join budget using (plan_month, product_family, month)
