-- stg_actions: the validated decision and action log, typed and trimmed (a blank product_family is a
-- company-wide action; a blank risk_kind answers no kind of risk; closed_month is blank while open).
-- Grain: one row per plan_month x action_id (unique: checked by the actions suite).
with raw as (
    select * from raw_actions where plan_month = $plan_month
),

typed as (
    select
        plan_month,
        trimmed(action_id, $whitespace) as action_id,
        strptime(left(trimmed(decided_month, $whitespace), 7), '%Y-%m')::date as decided_month,
        trimmed(description, $whitespace) as description,
        trimmed(owner, $whitespace) as owner,
        strptime(left(trimmed(due_month, $whitespace), 7), '%Y-%m')::date as due_month,
        trimmed(status, $whitespace) as status,
        trimmed(product_family, $whitespace) as product_family,
        trimmed(risk_kind, $whitespace) as risk_kind,
        strptime(left(trimmed(closed_month, $whitespace), 7), '%Y-%m')::date as closed_month,
        _source_row
    from raw
)

select * from typed
