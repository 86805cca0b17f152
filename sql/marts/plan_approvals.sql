-- plan_approvals: the row an approval or a reopening of a plan month appends (never replaced).
-- An approval numbers itself after the month's approvals before it; a reopening names the approval it
-- reopens.
select
    $plan_month::date as plan_month,
    (
        select count(*) + 1 from plan_approvals where plan_month = $plan_month
    )::integer as event_number,
    $event::varchar as event,
    (
        select coalesce(max(approval), 0) + case when $event = 'approved' then 1 else 0 end
        from plan_approvals
        where plan_month = $plan_month
    )::integer as approval,
    $actor::varchar as actor,
    $note::varchar as note,
    $recorded_at::timestamp as recorded_at,
    $fingerprint::varchar as fingerprint
