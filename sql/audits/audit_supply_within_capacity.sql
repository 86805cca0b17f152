-- audit_supply_within_capacity: the supply plan makes no more than the family's capacity, in any month of
-- any scenario (the plan snaps the solver's round-off, so exactly). Rows of draft.consolidated_plan that
-- break it.
select scenario, product_family, month, supply_units, capacity_units
from draft.consolidated_plan
where plan_month = $plan_month
    and supply_units > coalesce(capacity_units, 0)
order by scenario, product_family, month
