-- forecast_backtest: the contract of the published table, created before any month is planned: its columns,
-- their types (what marts/forecast_backtest.sql writes, in order) and their meaning (view data_dictionary).
create table if not exists forecast_backtest (
    plan_month date,
    segment varchar,
    method varchar,
    series integer,
    observations integer,
    wape double,
    bias double,
    coverage_80 double,
    coverage_95 double,
    level varchar,
    method_wape double,
    product_family varchar,
    chosen boolean
);

comment on table forecast_backtest is 'Every forecasting method on the newest rolling origin, learned from the older ones, for the sku x region series and for the family totals. One row per plan_month x level x segment x method; rows with a product_family are the reconciliation''s evidence, scored over every origin (see product_family).';
comment on column forecast_backtest.plan_month is 'The plan month.';
comment on column forecast_backtest.segment is 'regular, intermittent or new (the new-item method run on regular series); all for the family totals.';
comment on column forecast_backtest.method is 'A pool model, Combination, BestModel or FamilyProfile; FamilyBlend, MinT or BottomUp (the setting reconciliation) for the family totals: the sum of the series'' forecasts, as the plan reads it; in the rows of a product_family, the reconciliation scored.';
comment on column forecast_backtest.series is 'Series scored: for a pool model, those it forecast from the newest origin (none where it ran off, or where the series is shorter than the model needs: model_min_history_months); families at the family level; in the rows of a product_family, 1 at level family and the family''s regular series at level series.';
comment on column forecast_backtest.observations is 'Months scored over all series (or families).';
comment on column forecast_backtest.wape is 'Sum of absolute errors over actual units.';
comment on column forecast_backtest.bias is 'Sum of errors (forecast minus actual) over actual units.';
comment on column forecast_backtest.coverage_80 is 'Share of actuals inside the 80% interval (methods that publish intervals).';
comment on column forecast_backtest.coverage_95 is 'Share of actuals inside the 95% interval.';
comment on column forecast_backtest.level is 'series (each sku x region on its own) or family (the family totals, with the intervals family_forecast publishes).';
comment on column forecast_backtest.method_wape is 'WAPE of the segment''s method (Combination, BestModel, FamilyProfile; the reconciliation for the families) on the same series and months as this row: a pool model scores only where it forecast, so its wape compares with this, not with the method''s own row.';
comment on column forecast_backtest.product_family is 'Null, or the family of a row of the reconciliation''s evidence: its regular series reconciled each way (BottomUp, MinT, FamilyBlend) from every rolling origin, W from the other origins, scored over all their months at the family total (level family) and over its series (level series).';
comment on column forecast_backtest.chosen is 'In the rows of a product_family: true for the reconciliation the family''s forecast took (FamilyBlend unless it did worse than BottomUp at both levels; the setting reconciliation otherwise).';
