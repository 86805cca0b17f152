-- forecast_value_added: the contract of the published table, created before any month is planned: its columns,
-- their types (what marts/forecast_value_added.sql writes, in order) and their meaning (view data_dictionary).
create table if not exists forecast_value_added (
    plan_month date,
    lag integer,
    level varchar,
    product_family varchar,
    step varchar,
    step_order integer,
    months integer,
    changed_months integer,
    first_month date,
    last_month date,
    owners varchar,
    actual_units double,
    forecast_units double,
    wape double,
    bias double,
    fva double
);

comment on table forecast_value_added is 'The forecast value added of each touch point of the demand review on the trailing months: naive, statistical, after each source, consensus. One row per plan_month x lag x level x product_family x step.';
comment on column forecast_value_added.plan_month is 'The plan month whose sales extract brought the actuals.';
comment on column forecast_value_added.lag is 'Lag k: the forecasts published k - 1 plan months before the months judged.';
comment on column forecast_value_added.level is 'family or total.';
comment on column forecast_value_added.product_family is 'Product family; null on the total.';
comment on column forecast_value_added.step is 'naive (seasonal), statistical, a source (sales, marketing, finance, supply, executive: the forecast after its changes) or consensus.';
comment on column forecast_value_added.step_order is 'The step''s place in the stairstep, 1 = naive.';
comment on column forecast_value_added.months is 'Months judged.';
comment on column forecast_value_added.changed_months is 'Months judged in which the source''s changes touched the family (a source is listed only with one or more); null for the other steps.';
comment on column forecast_value_added.first_month is 'First month judged.';
comment on column forecast_value_added.last_month is 'Last month judged.';
comment on column forecast_value_added.owners is 'The owners of the source''s changes in the months judged, comma-separated.';
comment on column forecast_value_added.actual_units is 'Units sold in the months judged.';
comment on column forecast_value_added.forecast_units is 'Units forecast at this step for the months judged.';
comment on column forecast_value_added.wape is 'Sum of absolute errors over actual units (each month judged on the family''s or the total''s own figure).';
comment on column forecast_value_added.bias is 'Sum of errors (forecast minus actual) over actual units; above zero when the step ran high.';
comment on column forecast_value_added.fva is 'Forecast value added: the step before''s WAPE minus this step''s, above zero when the step helped; for the consensus, over the statistical forecast (what the whole review added).';
