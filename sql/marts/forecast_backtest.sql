-- forecast_backtest: how each forecasting method did on the newest rolling origin, learned from
-- the older ones (see sop/forecast/backtest.py); coverage is that of the calibrated intervals, of
-- each series (level series) and of each family's total (level family).
-- Rows with a product_family are the reconciliation's evidence instead: each family's scores over
-- every origin's months (weights from every origin, W from the other origins), per reconciliation
-- and level, and which one the forecast took.
-- Grain: one row per plan_month x level x segment x method x product_family (null: every family).
with results as (
    select * from backtest_results
),

final as (
    select
        $plan_month::date as plan_month,
        segment::varchar as segment,
        method::varchar as method,
        series::integer as series,
        observations::integer as observations,
        wape::double as wape,
        bias::double as bias,
        coverage_80::double as coverage_80,
        coverage_95::double as coverage_95,
        level::varchar as level,
        method_wape::double as method_wape,
        product_family::varchar as product_family,
        chosen::boolean as chosen
    from results
)

select * from final
