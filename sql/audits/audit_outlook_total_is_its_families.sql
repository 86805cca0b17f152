-- audit_outlook_total_is_its_families: each year's total outlook is the sum of its families, to the cent:
-- revenue and margin to date, the full-year outlook and the budget. Rows of draft.financial_outlook's
-- totals that break it (or a year with families and no total).
with families as (
    select scenario, year, sum(actual_revenue_ytd) as actual_revenue_ytd, sum(actual_margin_ytd) as actual_margin_ytd,
        sum(outlook_revenue) as outlook_revenue, sum(outlook_margin) as outlook_margin,
        sum(budget_revenue) as budget_revenue
    from draft.financial_outlook
    where plan_month = $plan_month and level = 'family'
    group by scenario, year
),

totals as (
    select scenario, year, actual_revenue_ytd, actual_margin_ytd, outlook_revenue, outlook_margin, budget_revenue
    from draft.financial_outlook
    where plan_month = $plan_month and level = 'total'
)

select scenario, year,
    totals.outlook_revenue, families.outlook_revenue as families_outlook_revenue,
    totals.outlook_margin, families.outlook_margin as families_outlook_margin
from totals
full join families using (scenario, year)
where not coalesce(
    abs(totals.actual_revenue_ytd - families.actual_revenue_ytd) < 0.005
    and abs(totals.actual_margin_ytd - families.actual_margin_ytd) < 0.005
    and abs(totals.outlook_revenue - families.outlook_revenue) < 0.005
    and abs(totals.outlook_margin - families.outlook_margin) < 0.005
    and abs(totals.budget_revenue - families.budget_revenue) < 0.005,
    false
)
order by scenario, year
