-- forecast_accuracy: the contract of the published table, created before any month is planned: its columns,
-- their types (what marts/forecast_accuracy.sql writes, in order) and their meaning (view data_dictionary).
create table if not exists forecast_accuracy (
    plan_month date,
    lag integer,
    level varchar,
    product_family varchar,
    sku varchar,
    region varchar,
    month date,
    forecast_plan_month date,
    actual_units double,
    forecast_units double,
    error_units double,
    abs_error_units double,
    ape double,
    naive_units double,
    naive_abs_error_units double,
    scale_units double,
    scaled_abs_error double,
    within_80 boolean,
    within_95 boolean
);

comment on table forecast_accuracy is 'Forecasts published in earlier plan months against the actuals of the trailing months. One row per plan_month x lag x level x product_family x sku x region x month.';
comment on column forecast_accuracy.plan_month is 'The plan month whose sales extract brought the actuals.';
comment on column forecast_accuracy.lag is 'Lag k: the forecast published k - 1 plan months before the month judged.';
comment on column forecast_accuracy.level is 'sku_region, sku, family or total; each level is judged as its own series.';
comment on column forecast_accuracy.product_family is 'Product family; null on the total.';
comment on column forecast_accuracy.sku is 'Sku; null above the sku levels.';
comment on column forecast_accuracy.region is 'Region; null above sku_region.';
comment on column forecast_accuracy.month is 'The month judged.';
comment on column forecast_accuracy.forecast_plan_month is 'The plan month that published the forecast judged.';
comment on column forecast_accuracy.actual_units is 'Units sold (zero without a sales row).';
comment on column forecast_accuracy.forecast_units is 'Units forecast (zero for a series sold without a forecast).';
comment on column forecast_accuracy.error_units is 'forecast_units minus actual_units.';
comment on column forecast_accuracy.abs_error_units is 'Absolute error.';
comment on column forecast_accuracy.ape is 'Absolute error over actual units; null when nothing sold.';
comment on column forecast_accuracy.naive_units is 'Seasonal naive forecast: the same month a year before.';
comment on column forecast_accuracy.naive_abs_error_units is 'Absolute error of the seasonal naive forecast.';
comment on column forecast_accuracy.scale_units is 'MASE scale: the seasonal naive''s mean absolute error before the forecast was made.';
comment on column forecast_accuracy.scaled_abs_error is 'Absolute error over scale_units.';
comment on column forecast_accuracy.within_80 is 'Actual inside the published 80% interval: sku_forecast''s at level sku_region, family_forecast''s at level family; null at the other levels and where none was published.';
comment on column forecast_accuracy.within_95 is 'Actual inside the published 95% interval (levels sku_region and family, as within_80).';
