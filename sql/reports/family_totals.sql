-- family_totals: 3, per family. Per plan month and family, the units of the last twelve months of
-- actuals, and of the base plan and the budget over the horizon (family_performance, summed).
-- Grain: one row per plan_month x product_family.
with totals as (
    select
        plan_month,
        product_family,
        coalesce(sum(actual_units), 0) as actual_units_last_12_months,
        coalesce(sum(plan_units) filter (where month >= plan_month), 0) as plan_units_horizon,
        coalesce(sum(budget_units) filter (where month >= plan_month), 0) as budget_units_horizon
    from family_performance
    group by plan_month, product_family
)

select *, row_number() over (partition by plan_month order by product_family) as position
from totals
