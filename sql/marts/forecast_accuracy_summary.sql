-- forecast_accuracy_summary: forecast accuracy over the trailing window, per level and lag.
-- Grain: one row per plan_month x lag x level x product_family x sku x region.
-- wape: sum of absolute errors over actual units; mape: mean absolute percentage error over the
-- months that sold; bias: sum of errors (forecast minus actual) over actual units, above zero
-- when the forecast ran high; mase: mean absolute error over the seasonal naive's in-sample mean
-- absolute error; fva: the seasonal naive's WAPE minus the forecast's (the value the forecast adds).
with accuracy as (
    select * from draft.forecast_accuracy where plan_month = $plan_month
),

summarized as (
    select
        plan_month,
        lag,
        level,
        product_family,
        sku,
        region,
        count(*) as months,
        min(month) as first_month,
        max(month) as last_month,
        sum(actual_units) as actual_units,
        sum(forecast_units) as forecast_units,
        sum(abs_error_units) / nullif(sum(actual_units), 0) as wape,
        avg(ape) as mape,
        sum(error_units) / nullif(sum(actual_units), 0) as bias,
        avg(scaled_abs_error) as mase,
        sum(naive_abs_error_units) / nullif(sum(actual_units), 0) as naive_wape,
        avg(within_80::integer) as coverage_80,
        avg(within_95::integer) as coverage_95
    from accuracy
    group by plan_month, lag, level, product_family, sku, region
),

final as (
    select
        plan_month::date as plan_month,
        lag::integer as lag,
        level::varchar as level,
        product_family::varchar as product_family,
        sku::varchar as sku,
        region::varchar as region,
        months::integer as months,
        first_month::date as first_month,
        last_month::date as last_month,
        actual_units::double as actual_units,
        forecast_units::double as forecast_units,
        wape::double as wape,
        mape::double as mape,
        bias::double as bias,
        mase::double as mase,
        naive_wape::double as naive_wape,
        (naive_wape - wape)::double as fva,
        coverage_80::double as coverage_80,
        coverage_95::double as coverage_95
    from summarized
)

select * from final
