-- decisions: 6. Which decisions must be made now, and later? Per plan month, the base plan's high and
-- medium risks, each with its suggested action: "now" when the risk starts within the near term
-- (plan_settings.near_term_months; a year's revenue gap from its January, data quality at once),
-- "later" beyond that and for the long horizon.
-- Grain: one row per high or medium risk of the plan month (risk_register's grain, base plan).
with decisions as (
    select
        register.plan_month,
        case
            when register.kind = 'long_horizon_gap'
                or register.month >= register.plan_month + to_months(plan_settings.near_term_months)
                then 'later'
            else 'now'
        end as decide,
        register.product_family,
        register.kind,
        register.month,
        register.subject,
        register.period,
        register.severity,
        register.status,
        register.first_seen_plan_month,
        register.suggested_action
    from risk_register as register
    inner join plan_settings using (plan_month)
    where register.scenario = 'base' and register.severity in ('high', 'medium')
)

select
    *,
    row_number() over (
        partition by plan_month
        order by decide desc, case severity when 'high' then 0 else 1 end, month nulls first, product_family, kind, subject
    ) as position
from decisions
