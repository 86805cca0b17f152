-- plan_approvals: the contract of the record of approvals, created before any month is planned: its
-- columns, their types (what marts/plan_approvals.sql writes, in order) and their meaning (view data_dictionary).
create table if not exists plan_approvals (
    plan_month date,
    event_number integer,
    event varchar,
    approval integer,
    actor varchar,
    note varchar,
    recorded_at timestamp,
    fingerprint varchar
);

comment on table plan_approvals is 'Every approval and reopening of a plan month, in order (sop-run approve / reopen, or the Dagster jobs approve_plan / reopen_plan). A month whose newest event is an approval is the plan of record, frozen. One row per plan_month x event_number.';
comment on column plan_approvals.plan_month is 'The plan month approved or reopened.';
comment on column plan_approvals.event_number is 'The event''s number within the month, 1 for the first.';
comment on column plan_approvals.event is 'approved or reopened.';
comment on column plan_approvals.approval is 'The approval''s number within the month (1 for the first): its copy of the published tables is approved.<table> where approval = this; a reopening names the approval it reopened.';
comment on column plan_approvals.actor is 'Who approved (--by), or who reopened (--by, else the login name of the shell).';
comment on column plan_approvals.note is 'The approval''s note, or the reason for reopening.';
comment on column plan_approvals.recorded_at is 'When it was recorded, UTC.';
comment on column plan_approvals.fingerprint is 'SHA-256 (first 16 hex digits) of the month''s published rows when it was approved; a reopening repeats the approved one.';
