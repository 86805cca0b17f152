-- value_added: 2. How are we executing against performance metrics? Per plan month, the stairstep of
-- the demand review at lags 1 and 3 over the trailing months, per family and in total: naive,
-- statistical, after each source that changed the family, consensus, with WAPE, bias and the value each
-- step added over the one before (forecast_value_added).
-- Grain: one row per plan_month x lag x level x product_family x step.
select
    plan_month,
    lag,
    level,
    product_family,
    step,
    months,
    changed_months,
    owners,
    wape,
    bias,
    fva,
    row_number() over (partition by plan_month order by lag, product_family nulls last, step_order) as position
from forecast_value_added
