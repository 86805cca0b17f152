-- family_forecast: the contract of the published table, created before any month is planned: its columns,
-- their types (what marts/family_forecast.sql writes, in order) and their meaning (view data_dictionary).
create table if not exists family_forecast (
    plan_month date,
    product_family varchar,
    month date,
    forecast_units double,
    forecast_lo_80 double,
    forecast_hi_80 double,
    forecast_lo_95 double,
    forecast_hi_95 double
);

comment on table family_forecast is 'The statistical baseline forecast per family: the sum of its sku x region forecasts, with intervals calibrated on the family totals'' own errors at the rolling origins. One row per plan_month x product_family x month of the horizon.';
comment on column family_forecast.plan_month is 'The plan month the forecast was made for (from the actuals up to the month before).';
comment on column family_forecast.product_family is 'Product family.';
comment on column family_forecast.month is 'Month forecast.';
comment on column family_forecast.forecast_units is 'The sum of the family''s sku x region forecasts (sku_forecast), never negative.';
comment on column family_forecast.forecast_lo_80 is 'Lower bound of the family''s 80% interval, from the errors its total made at the rolling origins (never negative).';
comment on column family_forecast.forecast_hi_80 is 'Upper bound of the family''s 80% interval, from the errors its total made at the rolling origins.';
comment on column family_forecast.forecast_lo_95 is 'Lower bound of the family''s 95% interval (never negative).';
comment on column family_forecast.forecast_hi_95 is 'Upper bound of the family''s 95% interval.';
