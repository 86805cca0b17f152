-- plan_changes: the contract of the published table, created before any month is planned: its columns,
-- their types (what marts/plan_changes.sql writes, in order) and their meaning (view data_dictionary).
create table if not exists plan_changes (
    plan_month date,
    product_family varchar,
    month date,
    prev_plan_month date,
    prev_forecast_units double,
    forecast_units double,
    change_forecast_units double,
    change_unmet_demand_units double,
    prev_plan_revenue double,
    plan_revenue double,
    change_plan_revenue double,
    demand_effect double,
    supply_effect double,
    price_effect double,
    budget_effect double,
    change_variance_revenue double,
    prev_consensus_units double,
    consensus_units double,
    change_consensus_units double,
    change_adjustment_units double
);

comment on table plan_changes is 'This plan against last month''s, for the months both cover, with the revenue change split into drivers. One row per plan_month x product_family x month.';
comment on column plan_changes.plan_month is 'The plan month.';
comment on column plan_changes.product_family is 'Product family.';
comment on column plan_changes.month is 'Month covered by both plans.';
comment on column plan_changes.prev_plan_month is 'The plan month compared with (the month before).';
comment on column plan_changes.prev_forecast_units is 'Last month''s statistical forecast.';
comment on column plan_changes.forecast_units is 'This month''s statistical forecast.';
comment on column plan_changes.change_forecast_units is 'forecast_units minus prev_forecast_units.';
comment on column plan_changes.change_unmet_demand_units is 'Change in unmet demand.';
comment on column plan_changes.prev_plan_revenue is 'Last month''s plan revenue.';
comment on column plan_changes.plan_revenue is 'This plan''s revenue.';
comment on column plan_changes.change_plan_revenue is 'plan_revenue minus prev_plan_revenue = demand_effect + supply_effect + price_effect.';
comment on column plan_changes.demand_effect is 'Change in the plan''s demand (the consensus) at last month''s price per shipped unit.';
comment on column plan_changes.supply_effect is 'Change in unmet demand at last month''s price, negative when more goes unmet.';
comment on column plan_changes.price_effect is 'This month''s shipments at the change in price per shipped unit: the rest of change_plan_revenue after the demand and supply effects, so that the three add up to it to the cent.';
comment on column plan_changes.budget_effect is 'Minus the change in budget revenue.';
comment on column plan_changes.change_variance_revenue is 'Change in plan minus budget revenue = change_plan_revenue + budget_effect.';
comment on column plan_changes.prev_consensus_units is 'Last month''s plan demand: its consensus (its forecast before the demand review existed).';
comment on column plan_changes.consensus_units is 'This plan''s demand: the consensus.';
comment on column plan_changes.change_consensus_units is 'consensus_units minus prev_consensus_units: the change in the plan''s demand.';
comment on column plan_changes.change_adjustment_units is 'The part of change_consensus_units the demand review made: the change in demand beyond the statistical forecast''s own change.';
