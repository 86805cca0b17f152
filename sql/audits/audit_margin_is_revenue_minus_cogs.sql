-- audit_margin_is_revenue_minus_cogs: the plan's gross margin is its revenue minus its cost of goods, to the
-- cent. Rows of draft.consolidated_plan that break it.
select scenario, product_family, month, plan_revenue, plan_cogs, plan_gross_margin
from draft.consolidated_plan
where plan_month = $plan_month
    and abs(plan_gross_margin - (plan_revenue - plan_cogs)) >= 0.005
order by scenario, product_family, month
