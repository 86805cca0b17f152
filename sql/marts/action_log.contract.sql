-- action_log: the contract of the published table, created before any month is planned: its columns,
-- their types (what marts/action_log.sql writes, in order) and their meaning (view data_dictionary).
create table if not exists action_log (
    plan_month date,
    action_id varchar,
    decided_month date,
    description varchar,
    owner varchar,
    due_month date,
    status varchar,
    product_family varchar,
    risk_kind varchar,
    closed_month date,
    missing boolean,
    new boolean,
    open boolean,
    due_this_month boolean,
    months_overdue integer,
    done_on_time boolean,
    done_late boolean,
    slipped boolean,
    times_slipped integer,
    first_due_month date,
    first_seen_plan_month date
);

comment on table action_log is 'The decision and action log of each plan month, with each action''s state: new, open, due, overdue, done on time or late, dropped, slipped, missing. One row per plan_month x action_id.';
comment on column action_log.plan_month is 'The plan month whose folder brought the log (kept at the close of the month before).';
comment on column action_log.action_id is 'The action''s id in the log.';
comment on column action_log.decided_month is 'The plan month whose meeting decided it.';
comment on column action_log.description is 'What was decided.';
comment on column action_log.owner is 'Who answers for it.';
comment on column action_log.due_month is 'When it is due, as this month''s log says.';
comment on column action_log.status is 'open, in_progress, done or dropped.';
comment on column action_log.product_family is 'The family it is about; null for a company-wide action.';
comment on column action_log.risk_kind is 'The kind of risk of the register it answers; null for none.';
comment on column action_log.closed_month is 'When it was done or dropped; null while open.';
comment on column action_log.missing is 'In last month''s log but not in this month''s file: kept with its last known state.';
comment on column action_log.new is 'Not in last month''s log.';
comment on column action_log.open is 'Status open or in_progress.';
comment on column action_log.due_this_month is 'Open and due in the plan month.';
comment on column action_log.months_overdue is 'Months an open action is past its due month (0 when it is not).';
comment on column action_log.done_on_time is 'Done, and closed by its due month.';
comment on column action_log.done_late is 'Done, and closed after its due month.';
comment on column action_log.slipped is 'Its due month is later than last month''s log said.';
comment on column action_log.times_slipped is 'How often its due month has moved later since it was first seen.';
comment on column action_log.first_due_month is 'The due month of the first log that held it.';
comment on column action_log.first_seen_plan_month is 'The plan month whose log first held it.';
