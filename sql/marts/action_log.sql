-- action_log: the decision and action log of each plan month (stg_actions: the log as kept at the close
-- of M-1), with what follows from it and from last month's log for each action. An action of last
-- month's log that this month's file lacks is kept with its last known state, marked missing: the log
-- never loses an action.
-- Grain: one row per plan_month x action_id.
-- open: open or in_progress; due_this_month: open and due in the plan month; months_overdue: how many
-- months an open action is past its due month (0 when not); done_on_time and done_late: done by its
-- due month, or after it; slipped: its due month is later than last month's log said, times_slipped
-- how often that has happened since it was first seen.
with this_month as (
    select * from stg_actions where plan_month = $plan_month
),

last_month as (
    select * from action_log where plan_month = $previous_plan_month
),

current_log as (
    select
        action_id, decided_month, description, owner, due_month, status, product_family, risk_kind,
        closed_month, false as missing
    from this_month
    union all
    select
        action_id, decided_month, description, owner, due_month, status, product_family, risk_kind,
        closed_month, true as missing
    from last_month
    where action_id not in (select action_id from this_month)
),

derived as (
    select
        log.*,
        last_month.action_id is null as new,
        log.status in ('open', 'in_progress') as open,
        coalesce(log.due_month > last_month.due_month, false) as slipped,
        coalesce(last_month.times_slipped, 0) as times_slipped_before,
        coalesce(last_month.first_due_month, log.due_month) as first_due_month,
        coalesce(last_month.first_seen_plan_month, $plan_month::date) as first_seen_plan_month
    from current_log as log
    left join last_month using (action_id)
),

final as (
    select
        $plan_month::date as plan_month,
        action_id::varchar as action_id,
        decided_month::date as decided_month,
        description::varchar as description,
        owner::varchar as owner,
        due_month::date as due_month,
        status::varchar as status,
        product_family::varchar as product_family,
        risk_kind::varchar as risk_kind,
        closed_month::date as closed_month,
        missing::boolean as missing,
        new::boolean as new,
        open::boolean as open,
        (open and due_month = $plan_month)::boolean as due_this_month,
        (case when open and due_month < $plan_month then date_diff('month', due_month, $plan_month) else 0 end)::integer
            as months_overdue,
        (status = 'done' and closed_month <= due_month)::boolean as done_on_time,
        (status = 'done' and closed_month > due_month)::boolean as done_late,
        slipped::boolean as slipped,
        (times_slipped_before + slipped::integer)::integer as times_slipped,
        first_due_month::date as first_due_month,
        first_seen_plan_month::date as first_seen_plan_month
    from derived
)

select * from final
order by action_id
