-- forecast_accuracy_summary: the contract of the published table, created before any month is planned: its columns,
-- their types (what marts/forecast_accuracy_summary.sql writes, in order) and their meaning (view data_dictionary).
create table if not exists forecast_accuracy_summary (
    plan_month date,
    lag integer,
    level varchar,
    product_family varchar,
    sku varchar,
    region varchar,
    months integer,
    first_month date,
    last_month date,
    actual_units double,
    forecast_units double,
    wape double,
    mape double,
    bias double,
    mase double,
    naive_wape double,
    fva double,
    coverage_80 double,
    coverage_95 double
);

comment on table forecast_accuracy_summary is 'Forecast accuracy over the trailing months per level and lag. One row per plan_month x lag x level x product_family x sku x region.';
comment on column forecast_accuracy_summary.plan_month is 'The plan month whose sales extract brought the actuals.';
comment on column forecast_accuracy_summary.lag is 'Lag k: forecasts published k - 1 plan months before the months judged.';
comment on column forecast_accuracy_summary.level is 'sku_region, sku, family or total.';
comment on column forecast_accuracy_summary.product_family is 'Product family; null on the total.';
comment on column forecast_accuracy_summary.sku is 'Sku; null above the sku levels.';
comment on column forecast_accuracy_summary.region is 'Region; null above sku_region.';
comment on column forecast_accuracy_summary.months is 'Months judged.';
comment on column forecast_accuracy_summary.first_month is 'First month judged.';
comment on column forecast_accuracy_summary.last_month is 'Last month judged.';
comment on column forecast_accuracy_summary.actual_units is 'Units sold over the months judged.';
comment on column forecast_accuracy_summary.forecast_units is 'Units forecast over the months judged.';
comment on column forecast_accuracy_summary.wape is 'Sum of absolute errors over actual units.';
comment on column forecast_accuracy_summary.mape is 'Mean absolute percentage error over the months that sold.';
comment on column forecast_accuracy_summary.bias is 'Sum of errors (forecast minus actual) over actual units; above zero when the forecast ran high.';
comment on column forecast_accuracy_summary.mase is 'Mean absolute error over the seasonal naive''s in-sample mean absolute error.';
comment on column forecast_accuracy_summary.naive_wape is 'WAPE of the seasonal naive forecast.';
comment on column forecast_accuracy_summary.fva is 'Forecast value added: naive_wape minus wape.';
comment on column forecast_accuracy_summary.coverage_80 is 'Share of actuals inside the published 80% intervals, over the months judged against one: levels sku_region and family (null at the others, and for families over months published before family_forecast existed).';
comment on column forecast_accuracy_summary.coverage_95 is 'Share of actuals inside the published 95% intervals (as coverage_80).';
