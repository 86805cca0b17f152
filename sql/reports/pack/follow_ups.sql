-- follow_ups: 10. What are the follow-up actions? Every suggested action of the plan month's register,
-- once per family and kind (and subject, for data quality), with the months it covers and whether
-- it is new. Grain: one row per product_family x kind x subject of the plan month.
select
    product_family,
    kind,
    max(severity) filter (where severity = 'high') is not null as high,
    bool_or(status = 'new') as new,
    min(period) as first_period,
    count(*) as periods,
    arg_min(suggested_action, coalesce(month, $plan_month)) as action
from risk_register
where plan_month = $plan_month and scenario = 'base'
group by product_family, kind, subject
order by high desc, product_family, kind, subject
