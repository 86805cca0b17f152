-- follow_ups: 10. What are the follow-up actions? Per plan month, every suggested action of the base
-- plan's register, once per family and kind (and subject, for data quality), with the months it covers
-- and whether it is new; high severity first; `risk` is the kind in plain words (risk_kinds).
-- Grain: one row per plan_month x product_family x kind x subject.
with actions as (
    select
        plan_month,
        product_family,
        kind,
        subject,
        any_value(severity) as severity,  -- one kind, one severity (RiskConfig.severity)
        max(severity) filter (where severity = 'high') is not null as high,
        bool_or(status = 'new') as new,
        min(period) as first_period,
        count(*) as periods,
        arg_min(suggested_action, coalesce(month, plan_month)) as action
    from risk_register
    where scenario = 'base'
    group by plan_month, product_family, kind, subject
)

select actions.*, risk_kinds.risk, row_number() over (
    partition by plan_month order by high desc, product_family, actions.kind, subject
) as position
from actions
inner join risk_kinds using (kind)
