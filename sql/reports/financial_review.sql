-- financial_review: 3 and 4. Are we on plan financially? Per plan month, family and in total, revenue and
-- margin to date and for each calendar year (actuals so far plus the base plan for the rest) against
-- the budget, and whether the horizon covers the year to December.
-- Grain: one row per plan_month x year x level x product_family (null: the total).
with horizon as (
    select plan_month, max(month) as last_month
    from consolidated_plan
    where scenario = 'base'
    group by plan_month
),

outlook as (
    select
        outlook.plan_month,
        outlook.year,
        outlook.level,
        outlook.product_family,
        outlook.actual_revenue_ytd,
        outlook.budget_revenue_ytd,
        outlook.variance_revenue_ytd,
        outlook.outlook_revenue,
        outlook.budget_revenue,
        outlook.gap_revenue,
        outlook.gap_revenue_pct,
        outlook.outlook_margin,
        outlook.budget_margin,
        outlook.gap_margin,
        outlook.plan_months,
        outlook.budget_months,
        make_date(outlook.year, 12, 1) <= horizon.last_month as whole_year_in_horizon
    from financial_outlook as outlook
    inner join horizon using (plan_month)
    where outlook.scenario = 'base'
)

select *, row_number() over (partition by plan_month order by year, level = 'total', product_family) as position
from outlook
