-- open_actions: 10. What are the follow-up actions? Per plan month, the meeting's open actions with
-- their owners, overdue first (most months late first), then by due month; `risk` is the kind of risk
-- the action answers in plain words (risk_kinds).
-- Grain: one row per plan_month x open action_id (action_log's grain).
select
    plan_month,
    due_month,
    months_overdue,
    action_id,
    owner,
    product_family,
    risk_kind,
    risk_kinds.risk,
    description,
    status,
    times_slipped,
    first_due_month,
    decided_month,
    missing,
    row_number() over (partition by plan_month order by months_overdue desc, due_month, action_id) as position
from action_log
left join risk_kinds on risk_kinds.kind = action_log.risk_kind
where open
