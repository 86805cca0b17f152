-- plan_settings: the contract of the published table, created before any month is planned: its columns,
-- their types (what marts/plan_settings.sql writes, in order) and their meaning (view data_dictionary).
create table if not exists plan_settings (
    plan_month date,
    long_horizon_from integer,
    near_term_months integer
);

comment on table plan_settings is 'The settings in force when each month was planned, as the reports read them. One row per plan_month.';
comment on column plan_settings.plan_month is 'The plan month.';
comment on column plan_settings.long_horizon_from is 'Month of the horizon (1 = the plan month) from which the long term is judged against the budget (RiskConfig.long_horizon_from).';
comment on column plan_settings.near_term_months is 'Months from the plan month that make the near term: decisions for this meeting, and the capacity use and fill rate of question 2 (RiskConfig.near_term_months).';
