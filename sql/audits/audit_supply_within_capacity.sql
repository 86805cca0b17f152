-- audit_supply_within_capacity: the supply plan makes no more than the family's capacity, in any month of
-- any scenario. Rows of draft.consolidated_plan that break it (solver round-off of a millionth of a unit
-- per unit of capacity is allowed).
select scenario, product_family, month, supply_units, capacity_units
from draft.consolidated_plan
where plan_month = $plan_month
    and supply_units > coalesce(capacity_units, 0) * (1 + 1e-9) + 1e-6
order by scenario, product_family, month
