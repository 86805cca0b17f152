-- risk_register: the risks the plan month raises, short and actionable (see sop/plan/risks.py), each
-- with the meeting's open action on it, if any.
-- Grain: one row per plan_month x scenario x product_family x kind x month. Family-wide risks (low forecast
-- accuracy, a long-horizon gap to budget) have no month; data-quality risks no family.
with risks as (
    select * from risk_rows
),

answers as (
    -- The meeting's open action on a family's risk of a kind (the action log's product_family and
    -- risk_kind): the one due first answers the risk, in place of the template's suggestion.
    select product_family, risk_kind as kind, action_id, owner, due_month, description
    from draft.action_log
    where plan_month = $plan_month and open and risk_kind is not null
    qualify row_number() over (partition by product_family, risk_kind order by due_month, action_id) = 1
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
        coalesce(
            answers.action_id || ' (' || answers.owner || ', due ' || strftime(answers.due_month, '%Y-%m') || '): '
            || answers.description,
            risks.action
        )::varchar as suggested_action,
        $scenario::varchar as scenario,
        answers.action_id::varchar as action_id,
        answers.owner::varchar as action_owner,
        answers.due_month::date as action_due_month
    from risks
    left join answers using (product_family, kind)
)

select * from final
