-- plan_settings: the contract of the published table, created before any month is planned: its columns,
-- their types (what marts/plan_settings.sql writes, in order) and their meaning (view data_dictionary).
create table if not exists plan_settings (
    plan_month date,
    long_horizon_from integer,
    near_term_months integer,
    settings_source varchar,
    settings_text varchar,
    settings_sha256 varchar,
    settings_values varchar,
    currency varchar
);

comment on table plan_settings is 'The settings in force when each month was planned, as the reports read them. One row per plan_month.';
comment on column plan_settings.plan_month is 'The plan month.';
comment on column plan_settings.long_horizon_from is 'Month of the horizon (1 = the plan month) from which the long term is judged against the budget (RiskConfig.long_horizon_from).';
comment on column plan_settings.near_term_months is 'Months from the plan month that make the near term: decisions for this meeting, and the capacity use and fill rate of question 2 (RiskConfig.near_term_months).';
comment on column plan_settings.settings_source is 'The settings file the month was planned with (sop.toml, SOP_CONFIG or sop-run --config); empty: the defaults. Null for a month planned before settings files.';
comment on column plan_settings.settings_text is 'That file''s text as it was read; empty for the defaults.';
comment on column plan_settings.settings_sha256 is 'SHA-256 of settings_text.';
comment on column plan_settings.settings_values is 'Every setting in force, defaults included, as JSON with sorted keys: what a re-run with other settings is compared with.';
comment on column plan_settings.currency is 'The ISO 4217 code of the currency of the month''s money (ReportConfig.currency): what the pack names with every amount. Null for a month planned before it was kept.';
