-- audit_shipments_within_demand: the plan ships between nothing and the demand it plans for (the
-- consensus): unmet demand is never negative and never more than the demand. Rows of
-- draft.consolidated_plan that break it.
select scenario, product_family, month, consensus_units, unmet_demand_units,
    consensus_units - unmet_demand_units as shipped_units
from draft.consolidated_plan
where plan_month = $plan_month
    and (unmet_demand_units < 0 or unmet_demand_units > consensus_units or unmet_demand_units is null)
order by scenario, product_family, month
