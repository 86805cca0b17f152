-- consolidated_plan: the contract of the published table, created before any month is planned: its columns,
-- their types (what marts/consolidated_plan.sql writes, in order) and their meaning (view data_dictionary).
create table if not exists consolidated_plan (
    plan_month date,
    product_family varchar,
    month date,
    forecast_units double,
    forecast_lo_80 double,
    forecast_hi_80 double,
    capacity_units double,
    supply_units double,
    unmet_demand_units double,
    capacity_utilization double,
    projected_inventory_units double,
    safety_stock_units double,
    days_of_supply double,
    plan_revenue double,
    plan_cogs double,
    plan_gross_margin double,
    budget_units double,
    budget_revenue double,
    variance_units double,
    variance_revenue double,
    variance_revenue_pct double,
    prev_plan_units double,
    change_vs_prev_plan_units double,
    risk_flags varchar[],
    risk_level varchar,
    recent_wape_lag1 double,
    recent_bias_lag1 double,
    recent_wape_lag3 double,
    recent_bias_lag3 double,
    prebuild_units double,
    supply_method varchar,
    scenario varchar,
    scenario_description varchar,
    excess_inventory_units double,
    consensus_units double,
    adjustment_units double,
    consensus_lo_80 double,
    consensus_hi_80 double
);

comment on table consolidated_plan is 'The reconciled S&OP plan: family demand against capacity, inventory and budget. One row per plan_month x scenario (base or a what-if) x product_family x month of the horizon.';
comment on column consolidated_plan.plan_month is 'The plan month (first of the month): planned from the extracts closed at the end of the month before.';
comment on column consolidated_plan.product_family is 'Product family.';
comment on column consolidated_plan.month is 'Month of the horizon (first of the month), from the plan month on.';
comment on column consolidated_plan.forecast_units is 'The statistical demand forecast: the sum of the family''s sku x region baseline forecasts (sku_forecast). The plan runs on consensus_units.';
comment on column consolidated_plan.forecast_lo_80 is 'Lower bound of the family''s 80% forecast interval (family_forecast: calibrated on the errors of the family''s total, never negative).';
comment on column consolidated_plan.forecast_hi_80 is 'Upper bound of the family''s 80% forecast interval (family_forecast: calibrated on the errors of the family''s total).';
comment on column consolidated_plan.capacity_units is 'Capacity of the family''s plants together in the month.';
comment on column consolidated_plan.supply_units is 'Units the supply plan makes in the month (never above capacity).';
comment on column consolidated_plan.unmet_demand_units is 'Demand (the consensus) neither production nor stock covers in the month.';
comment on column consolidated_plan.capacity_utilization is 'supply_units over capacity_units.';
comment on column consolidated_plan.projected_inventory_units is 'Stock at the end of the month in the supply plan.';
comment on column consolidated_plan.safety_stock_units is 'The family''s safety stock (sum over skus and locations).';
comment on column consolidated_plan.days_of_supply is 'projected_inventory_units over the month''s demand (the consensus) per day.';
comment on column consolidated_plan.plan_revenue is 'Shipped units (consensus minus unmet) at each sku''s recent average selling price, to the cent.';
comment on column consolidated_plan.plan_cogs is 'Shipped units at each sku''s unit cost, to the cent.';
comment on column consolidated_plan.plan_gross_margin is 'plan_revenue minus plan_cogs.';
comment on column consolidated_plan.budget_units is 'Budgeted units (annual operating plan).';
comment on column consolidated_plan.budget_revenue is 'Budgeted revenue.';
comment on column consolidated_plan.variance_units is 'consensus_units minus budget_units (the forecast''s before the demand review existed).';
comment on column consolidated_plan.variance_revenue is 'plan_revenue minus budget_revenue.';
comment on column consolidated_plan.variance_revenue_pct is 'variance_revenue over budget_revenue.';
comment on column consolidated_plan.prev_plan_units is 'The demand of last month''s plan for the same month: its consensus (its forecast before the demand review existed); null where it did not plan it.';
comment on column consolidated_plan.change_vs_prev_plan_units is 'consensus_units minus prev_plan_units.';
comment on column consolidated_plan.risk_flags is 'The month''s risks, named and judged as the risk register names and judges them (RiskConfig thresholds): unmet_demand (more than a tolerance of the demand goes unmet), capacity_overload (demand above capacity, covered by stock), below_safety_stock (stock under safety stock by more than the tolerance), excess_inventory (stock beyond safety stock and later months'' needs, above the days of demand RiskConfig allows). Plans published before this vocabulary hold stockout_risk and revenue_below_budget until their month is run again.';
comment on column consolidated_plan.risk_level is 'Highest severity among risk_flags (RiskConfig.severity): none, low, medium or high.';
comment on column consolidated_plan.recent_wape_lag1 is 'The family''s forecast WAPE at lag 1 over the recent months (forecast_accuracy_summary).';
comment on column consolidated_plan.recent_bias_lag1 is 'The family''s forecast bias at lag 1 over the recent months; above zero when the forecast ran high.';
comment on column consolidated_plan.recent_wape_lag3 is 'The family''s forecast WAPE at lag 3 over the recent months.';
comment on column consolidated_plan.recent_bias_lag3 is 'The family''s forecast bias at lag 3 over the recent months.';
comment on column consolidated_plan.prebuild_units is 'Units made beyond the month''s shipments: built ahead for later months or for safety stock.';
comment on column consolidated_plan.supply_method is 'lp (the supply plan''s linear program) or lesser_of (its fallback where the solver failed).';
comment on column consolidated_plan.scenario is 'The plan this row belongs to: base, or the name of a what-if scenario of the configuration (sop/core/config.py Scenario), planned the same month with its changes to demand, capacity or price.';
comment on column consolidated_plan.scenario_description is 'What the scenario changes, as configured when the month was planned (the base plan''s own description for base).';
comment on column consolidated_plan.excess_inventory_units is 'Projected stock beyond safety stock and beyond what later months will draw on (the most that demand tops capacity over any run of the months after this one).';
comment on column consolidated_plan.consensus_units is 'The consensus demand after the demand review (demand_plan): the demand the plan runs on; equal to forecast_units in a month without adjustments.';
comment on column consolidated_plan.adjustment_units is 'consensus_units minus forecast_units: what sales, marketing, finance, supply and the executive changed.';
comment on column consolidated_plan.consensus_lo_80 is 'Lower 80% bound of the consensus: the statistical bound (forecast_lo_80) shifted by adjustment_units, never below zero.';
comment on column consolidated_plan.consensus_hi_80 is 'Upper 80% bound of the consensus: forecast_hi_80 shifted by adjustment_units.';
