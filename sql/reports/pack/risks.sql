-- risks: 5. Which risks, previously identified and new, must we consider? The register of the plan
-- month, most severe first.
-- Grain: one row per risk of the plan month (risk_register's grain).
select
    product_family,
    kind,
    period,
    severity,
    status,
    first_seen_plan_month
from risk_register
where plan_month = $plan_month and scenario = 'base'
order by
    case severity when 'high' then 0 when 'medium' then 1 else 2 end, status, product_family, kind, month, subject
