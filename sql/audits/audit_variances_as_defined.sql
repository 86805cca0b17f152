-- audit_variances_as_defined: the variances are what the contract says they are: variance_units the
-- consensus minus the budget's units, variance_revenue the plan's revenue minus the budget's (to the cent),
-- variance_revenue_pct that over the budget's revenue (null without a budget). Rows of
-- draft.consolidated_plan that break one of them (a null where a value belongs too).
select scenario, product_family, month, consensus_units, budget_units, variance_units,
    plan_revenue, budget_revenue, variance_revenue, variance_revenue_pct
from draft.consolidated_plan
where plan_month = $plan_month
    and not (
        coalesce(abs(variance_units - (consensus_units - budget_units)) < 1e-6,
            variance_units is not distinct from consensus_units - budget_units)
        and coalesce(abs(variance_revenue - (plan_revenue - budget_revenue)) < 0.005,
            variance_revenue is not distinct from plan_revenue - budget_revenue)
        and coalesce(abs(variance_revenue_pct - variance_revenue / nullif(budget_revenue, 0)) < 1e-9,
            variance_revenue_pct is not distinct from variance_revenue / nullif(budget_revenue, 0))
    )
order by scenario, product_family, month
