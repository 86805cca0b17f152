-- sku_forecast: the contract of the published table, created before any month is planned: its columns,
-- their types (what marts/sku_forecast.sql writes, in order) and their meaning (view data_dictionary).
create table if not exists sku_forecast (
    plan_month date,
    sku varchar,
    region varchar,
    product_family varchar,
    month date,
    forecast_units double,
    forecast_lo_80 double,
    forecast_hi_80 double,
    forecast_lo_95 double,
    forecast_hi_95 double,
    model varchar,
    demand_pattern varchar,
    model_weights varchar,
    segment varchar
);

comment on table sku_forecast is 'The statistical baseline forecast. One row per plan_month x sku x region x month of the horizon.';
comment on column sku_forecast.plan_month is 'The plan month the forecast was made for (from the actuals up to the month before).';
comment on column sku_forecast.sku is 'Stock-keeping unit.';
comment on column sku_forecast.region is 'Sales region.';
comment on column sku_forecast.product_family is 'The sku''s product family.';
comment on column sku_forecast.month is 'Month forecast.';
comment on column sku_forecast.forecast_units is 'Point forecast, never negative.';
comment on column sku_forecast.forecast_lo_80 is 'Lower bound of the calibrated 80% interval.';
comment on column sku_forecast.forecast_hi_80 is 'Upper bound of the calibrated 80% interval.';
comment on column sku_forecast.forecast_lo_95 is 'Lower bound of the calibrated 95% interval.';
comment on column sku_forecast.forecast_hi_95 is 'Upper bound of the calibrated 95% interval.';
comment on column sku_forecast.model is 'Combination, BestModel (the segment''s best model of its pool), FamilyProfile, Discontinued or LastValue.';
comment on column sku_forecast.model_weights is 'The pool''s models and weights, largest first.';
comment on column sku_forecast.segment is 'regular, intermittent, new or discontinued.';
comment on column sku_forecast.demand_pattern is 'Syntetos-Boylan class: smooth, erratic, intermittent, lumpy (or no demand).';
