-- risk_review: 5. Which risks, previously identified and new, must we consider? Per plan month, the
-- base plan's register, most severe first, new before recurring; `risk` is the kind in plain words.
-- Grain: one row per risk of the plan month (risk_register's grain, base plan).
select
    plan_month,
    severity,
    status,
    first_seen_plan_month,
    product_family,
    kind,
    risk_kinds.risk,
    month,
    period,
    subject,
    measure,
    reference,
    suggested_action,
    row_number() over (
        partition by plan_month
        order by case severity when 'high' then 0 when 'medium' then 1 else 2 end, status, product_family, kind, month, subject
    ) as position
from risk_register
inner join risk_kinds using (kind)
where scenario = 'base'
