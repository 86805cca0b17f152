-- risk_register: the risks the plan month raises, short and actionable (see sop/plan/risks.py).
-- Grain: one row per plan_month x scenario x product_family x kind x month. Family-wide risks (low forecast
-- accuracy, a long-horizon gap to budget) have no month; data-quality risks no family.
with risks as (
    select * from risk_rows
),

final as (
    select
        $plan_month::date as plan_month,
        product_family::varchar as product_family,
        kind::varchar as kind,
        month::date as month,
        period::varchar as period,
        subject::varchar as subject,
        severity::varchar as severity,
        measure::double as measure,
        reference::double as reference,
        status::varchar as status,
        first_seen_plan_month::date as first_seen_plan_month,
        action::varchar as suggested_action,
        $scenario::varchar as scenario
    from risks
)

select * from final
