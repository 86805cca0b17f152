-- draft_manifest: which run wrote each draft of a plan month (draft.manifest), and how many rows its step
-- said it wrote. A step signs its drafts once it has written and audited them; `published_month` publishes
-- a month only when every table's draft is signed by its own run (or the run it re-executes) and still holds
-- the rows signed for. Publishing the month clears its rows here, with the drafts.
create table if not exists draft.manifest (
    plan_month date,
    table_name varchar,
    run_id varchar,
    lineage varchar,
    rows bigint,
    signed_at timestamp
);

comment on table draft.manifest is 'Which run wrote each draft of a plan month, and its rows: published_month publishes a month only when every draft is its own run''s, whole. One row per plan_month x table_name.';
comment on column draft.manifest.run_id is 'The Dagster run whose step wrote the draft.';
comment on column draft.manifest.lineage is 'The run that run re-executes (Dagster''s root run), else itself: re-executions publish the drafts of their lineage.';
comment on column draft.manifest.rows is 'The rows of the plan month that the step wrote to the draft.';
comment on column draft.manifest.signed_at is 'When the step signed the draft, UTC.';
