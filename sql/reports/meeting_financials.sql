-- meeting_financials: 3 and 4. How are the families doing, and are we on plan financially? Revenue
-- and margin to date and for the full year (actuals plus plan) against budget, per family and in total.
-- Grain: one row per year x product_family (null: the total) of the latest plan month.
select
    plan_month,
    year,
    product_family,
    actual_revenue_ytd,
    budget_revenue_ytd,
    variance_revenue_ytd,
    outlook_revenue,
    budget_revenue,
    gap_revenue,
    gap_revenue_pct,
    outlook_margin,
    budget_margin,
    gap_margin,
    plan_months,
    budget_months
from financial_outlook
where plan_month = (select max(plan_month) from consolidated_plan) and scenario = 'base'
order by year, level, product_family
