-- plan_status: whether each published plan month is the approved plan of record or a draft, by whom
-- and when (the pack's banner). A month is approved while its newest event in plan_approvals is an
-- approval; a reopened month is a draft again, and names the approval it reopened and why.
-- Grain: one row per published plan month.
with events as (
    select *, row_number() over (partition by plan_month order by event_number desc) as newest_first
    from plan_approvals
),

newest as (
    select * from events where newest_first = 1
),

approvals as (
    -- The newest approval of each month, still readable once the month is reopened.
    select *
    from events
    where event = 'approved'
    qualify row_number() over (partition by plan_month order by event_number desc) = 1
)

select
    months.plan_month,
    case when newest.event = 'approved' then 'approved' else 'draft' end as status,
    approvals.approval,
    approvals.actor as approved_by,
    approvals.recorded_at as approved_at,
    approvals.note as approval_note,
    approvals.fingerprint,
    case when newest.event = 'reopened' then newest.actor end as reopened_by,
    case when newest.event = 'reopened' then newest.recorded_at end as reopened_at,
    case when newest.event = 'reopened' then newest.note end as reopen_reason,
    1 as position  -- one row per month
from (select distinct plan_month from consolidated_plan) as months
left join newest using (plan_month)
left join approvals using (plan_month)
