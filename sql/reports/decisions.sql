-- decisions: 6. Which decisions must be made now, and later? Per plan month, the base plan's high and
-- medium risks that no open action of the meeting answers (risk_register.action_id), one row per risk
-- episode: a family's risk of one kind (and subject) over consecutive months, with its months, its
-- peak (the month furthest from its reference) and the action suggested for that month. "now" when
-- the episode starts within the near term (plan_settings.near_term_months; a year's revenue gap from
-- its January, data quality and risks of no month at once), "later" beyond that and for the long horizon.
-- An episode first seen in an earlier plan month is recurring; `months` is null for risks of no month;
-- `risk` is the kind in plain words (risk_kinds).
-- Grain: one row per plan_month x product_family x kind x subject x episode.
with needed as (
    select
        register.*,
        plan_settings.near_term_months,
        abs(register.measure - coalesce(register.reference, 0)) as distance,
        -- Consecutive months share an island number (gaps and islands); a risk of no month stands alone.
        date_diff('month', register.plan_month, register.month)
        - row_number() over (
            partition by register.plan_month, register.product_family, register.kind, register.subject
            order by register.month
        ) as island
    from risk_register as register
    inner join plan_settings using (plan_month)
    where register.scenario = 'base' and register.severity in ('high', 'medium') and register.action_id is null
),

episodes as (
    select
        plan_month,
        product_family,
        kind,
        subject,
        min(month) as first_month,
        max(month) as last_month,
        -- A risk of no month (a year's gap, an overdue action, the data) covers no months of the plan.
        nullif(count(month), 0) as months,
        case when bool_or(severity = 'high') then 'high' else 'medium' end as severity,
        -- An episode that an earlier plan month raised is recurring, whatever months it has since gained.
        case when min(first_seen_plan_month) < plan_month then 'recurring' else 'new' end as status,
        min(first_seen_plan_month) as first_seen_plan_month,
        arg_max(month, distance) as peak_month,
        arg_max(measure, distance) as peak_measure,
        arg_max(reference, distance) as peak_reference,
        arg_max(period, distance) as peak_period,
        arg_max(suggested_action, distance) as suggested_action,
        any_value(near_term_months) as near_term_months
    from needed
    group by plan_month, product_family, kind, subject, coalesce(island, 0)
),

decisions as (
    select
        plan_month,
        case
            when kind = 'long_horizon_gap' or first_month >= plan_month + to_months(near_term_months) then 'later'
            else 'now'
        end as decide,
        product_family,
        kind,
        risk_kinds.risk,
        subject,
        case
            when months is null or months = 1 then peak_period
            else strftime(first_month, '%Y-%m') || ' to ' || strftime(last_month, '%Y-%m')
        end as period,
        months,
        first_month,
        last_month,
        peak_month,
        peak_period,
        peak_measure,
        peak_reference,
        severity,
        status,
        first_seen_plan_month,
        suggested_action
    from episodes
    inner join risk_kinds using (kind)
)

select
    *,
    row_number() over (
        partition by plan_month
        order by decide desc, case severity when 'high' then 0 else 1 end, first_month nulls first, product_family, kind, subject
    ) as position
from decisions
