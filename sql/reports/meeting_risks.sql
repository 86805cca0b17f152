-- meeting_risks: 5, 6 and 10. Which risks, previously identified and new, must we consider, which
-- decisions do they ask for, and what are the follow-up actions? The latest register, most severe first.
-- Grain: one row per risk of the latest plan month.
select
    plan_month,
    severity,
    status,
    first_seen_plan_month,
    product_family,
    kind,
    period,
    measure,
    suggested_action
from risk_register
where plan_month = (select max(plan_month) from consolidated_plan) and scenario = 'base'
order by
    case severity when 'high' then 0 when 'medium' then 1 when 'low' then 2 else 3 end,
    status,
    product_family nulls last,
    kind,
    month nulls first
