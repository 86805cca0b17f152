-- demand_plan: the contract of the published table, created before any month is planned: its columns,
-- their types (what marts/demand_plan.sql writes, in order) and their meaning (view data_dictionary).
create table if not exists demand_plan (
    plan_month date,
    sku varchar,
    region varchar,
    product_family varchar,
    month date,
    statistical_units double,
    consensus_units double,
    adjustment_units double,
    consensus_lo_80 double,
    consensus_hi_80 double
);

comment on table demand_plan is 'The consensus demand plan: the statistical forecast changed by the demand review (sales, marketing, finance, supply, executive). One row per plan_month x sku x region x month of the horizon.';
comment on column demand_plan.plan_month is 'The plan month.';
comment on column demand_plan.sku is 'Sku.';
comment on column demand_plan.region is 'Region.';
comment on column demand_plan.product_family is 'Product family of the sku.';
comment on column demand_plan.month is 'Month of the horizon (first of the month).';
comment on column demand_plan.statistical_units is 'The statistical forecast (sku_forecast.forecast_units).';
comment on column demand_plan.consensus_units is 'The consensus after every adjustment of the month, in the contract''s order; never below zero.';
comment on column demand_plan.adjustment_units is 'consensus_units minus statistical_units: what the demand review changed.';
comment on column demand_plan.consensus_lo_80 is 'Lower 80% bound of the consensus: the statistical bound shifted by the adjustment, never below zero.';
comment on column demand_plan.consensus_hi_80 is 'Upper 80% bound of the consensus: the statistical bound shifted by the adjustment.';
