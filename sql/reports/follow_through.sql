-- follow_through: 2. How are we executing against performance metrics? Per plan month, the share of
-- the actions due in the trailing 3 and 6 months (before the plan month) that were done by their due
-- month, as that month's action log says. Due as first committed (first_due_month): a slip does not
-- take an action out of the months it was due in. A dropped action counts as not done; one missing
-- from the file as it was last seen.
-- Grain: one row per plan_month x window_months (3, 6).
with windows as (
    select unnest([3, 6]) as window_months
),

due as (
    select log.*, windows.window_months
    from action_log as log
    cross join windows
    where log.first_due_month >= log.plan_month - to_months(windows.window_months)
        and log.first_due_month < log.plan_month
),

measured as (
    select
        plan_month,
        window_months,
        count(*) as actions_due,
        count(*) filter (where status = 'done' and closed_month <= first_due_month) as done_by_due_month,
        count(*) filter (where status = 'done' and closed_month > first_due_month) as done_later,
        count(*) filter (where open) as still_open,
        count(*) filter (where status = 'dropped') as dropped
    from due
    group by plan_month, window_months
)

select
    *,
    done_by_due_month / nullif(actions_due, 0) as follow_through,
    row_number() over (partition by plan_month order by window_months) as position
from measured
