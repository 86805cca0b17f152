-- audit_shipments_within_demand: the plan ships no more than the demand it plans for (the consensus), so
-- unmet demand is at most that demand. Rows of draft.consolidated_plan that break it.
select scenario, product_family, month, consensus_units, unmet_demand_units,
    consensus_units - unmet_demand_units as shipped_units
from draft.consolidated_plan
where plan_month = $plan_month
    and unmet_demand_units > consensus_units * (1 + 1e-9) + 1e-6
order by scenario, product_family, month
