-- accuracy_history: 2. How are we executing? Each family's lag-1 forecast accuracy and bias as judged
-- in every plan month up to this one (forecast_accuracy_summary, trailing months).
-- Grain: one row per plan_month x product_family.
select
    plan_month,
    product_family,
    months,
    wape,
    bias,
    fva,
    coverage_80
from forecast_accuracy_summary
where plan_month <= $plan_month and level = 'family' and lag = 1
order by plan_month, product_family
