-- audit_money_in_cents: every amount of the plan is in cents, as people read money (DOUBLE columns
-- rounded to the cent, the same in DuckDB and in the Parquet export). Rows of draft.consolidated_plan that
-- break it.
select scenario, product_family, month, plan_revenue, plan_cogs, plan_gross_margin, budget_revenue,
    variance_revenue
from draft.consolidated_plan
where plan_month = $plan_month
    and (
        round(plan_revenue, 2) <> plan_revenue
        or round(plan_cogs, 2) <> plan_cogs
        or round(plan_gross_margin, 2) <> plan_gross_margin
        or round(budget_revenue, 2) <> budget_revenue
        or round(variance_revenue, 2) <> variance_revenue
    )
order by scenario, product_family, month
