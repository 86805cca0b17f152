-- closed_actions: 10. What are the follow-up actions? Per plan month, the actions closed since last
-- month's log: done or dropped now, and open in last month's log (or not yet in it), with whether they
-- were done by their due month.
-- Grain: one row per plan_month x action_id closed since the month before.
select
    log.plan_month,
    log.action_id,
    log.owner,
    log.product_family,
    log.description,
    log.status,
    log.due_month,
    log.closed_month,
    log.done_on_time,
    log.times_slipped,
    row_number() over (partition by log.plan_month order by log.closed_month, log.action_id) as position
from action_log as log
left join action_log as before
    on before.plan_month = log.plan_month - interval 1 month and before.action_id = log.action_id
where not log.open and not log.missing and coalesce(before.open, true)
