-- decisions: 6. Which decisions must be made now, and later? The plan month's high and medium risks,
-- each with its suggested action: "now" when the risk starts within the next three months (a year's
-- revenue gap from its January, data quality at once), "later" beyond that and for the long horizon.
-- Grain: one row per risk of the plan month (risk_register's grain).
select
    case
        when kind = 'long_horizon_gap' or month >= $plan_month + interval 3 month then 'later'
        else 'now'
    end as decide,
    product_family,
    kind,
    period,
    severity,
    status,
    first_seen_plan_month,
    suggested_action
from risk_register
where plan_month = $plan_month and scenario = 'base' and severity in ('high', 'medium')
order by decide desc, case severity when 'high' then 0 else 1 end, month nulls first, product_family, kind, subject
