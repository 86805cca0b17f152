-- plan_approvals: the row an approval or a reopening of a plan month appends (never replaced), with
-- the approval's number ($approval: a new one for an approval, the reopened one for a reopening).
select
    $plan_month::date as plan_month,
    (
        select count(*) + 1 from plan_approvals where plan_month = $plan_month
    )::integer as event_number,
    $event::varchar as event,
    $approval::integer as approval,
    $actor::varchar as actor,
    $note::varchar as note,
    $recorded_at::timestamp as recorded_at,
    $fingerprint::varchar as fingerprint
