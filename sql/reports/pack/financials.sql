-- financials: 4. Are we on plan financially? Per family and in total, the revenue and margin outlook
-- (actuals plus plan) against the budget, for each year the horizon covers to December.
-- Grain: one row per level x product_family x year of the plan month.
select
    year,
    coalesce(product_family, 'Total') as product_family,
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
where plan_month = $plan_month
    and scenario = 'base'
    and make_date(year, 12, 1) <= (select max(month) from consolidated_plan where plan_month = $plan_month and scenario = 'base')
order by year, level = 'total', product_family
