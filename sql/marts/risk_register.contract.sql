-- risk_register: the contract of the published table, created before any month is planned: its columns,
-- their types (what marts/risk_register.sql writes, in order) and their meaning (view data_dictionary).
create table if not exists risk_register (
    plan_month date,
    product_family varchar,
    kind varchar,
    month date,
    period varchar,
    subject varchar,
    severity varchar,
    measure double,
    reference double,
    status varchar,
    first_seen_plan_month date,
    suggested_action varchar,
    scenario varchar,
    action_id varchar,
    action_owner varchar,
    action_due_month date
);

comment on table risk_register is 'The risks the plan month raises, with severity, history and a suggested action. One row per plan_month x scenario x product_family x kind x month.';
comment on column risk_register.plan_month is 'The plan month.';
comment on column risk_register.product_family is 'Product family; null for data-quality risks.';
comment on column risk_register.kind is 'unmet_demand, capacity_overload, below_safety_stock, excess_inventory, revenue_below_budget, long_horizon_gap, low_forecast_accuracy, adjustment_hurts_accuracy, overdue_action or data_quality.';
comment on column risk_register.month is 'Month at risk (January 1 for a year); null for family-wide and data-quality risks.';
comment on column risk_register.period is 'The month, year, range or extract the risk is about, as text.';
comment on column risk_register.subject is 'For data-quality risks, the extract, column and rule broken; for an adjustment that hurts accuracy, its source; for an overdue action, its id and description; null otherwise.';
comment on column risk_register.severity is 'low, medium or high (RiskConfig.severity).';
comment on column risk_register.measure is 'The number that raised the risk (units, days, share, rows, the WAPE a source''s changes added, or the months an action is late, by kind).';
comment on column risk_register.reference is 'The number it compares with (by kind: utilization, stock, safety stock, limit, gap, bias, the WAPE before the source''s changes, or how often an overdue action slipped).';
comment on column risk_register.status is 'new, or recurring when last month''s register had the same risk.';
comment on column risk_register.first_seen_plan_month is 'The plan month that first raised the risk.';
comment on column risk_register.suggested_action is 'What to do about it: the open action of the meeting that answers it (id, owner, due month: description), else the suggestion of the rule table RiskConfig.actions.';
comment on column risk_register.scenario is 'The plan this row belongs to: base, or the name of a what-if scenario of the configuration (sop/core/config.py Scenario), planned the same month with its changes to demand, capacity or price.';
comment on column risk_register.action_id is 'The open action of the action log on this family and kind of risk (its product_family and risk_kind), due first; null when no action answers it, and then the risk is a decision needed.';
comment on column risk_register.action_owner is 'The owner of that action.';
comment on column risk_register.action_due_month is 'The month that action is due.';
