-- sku_forecast: the statistical baseline forecast per sku x region, with its intervals and model
-- (`model`: Combination, BestModel, FamilyProfile, Discontinued or LastValue; `model_weights`: the
-- pool's models and weights, largest first).
-- Grain: one row per plan_month x sku x region x month of the horizon.
with forecast as (
    select * from baseline_forecast
),

sku_family as (
    select distinct sku, product_family from stg_sales where plan_month = $plan_month
),

final as (
    select
        $plan_month::date as plan_month,
        forecast.sku::varchar as sku,
        forecast.region::varchar as region,
        sku_family.product_family::varchar as product_family,
        forecast.month::date as month,
        forecast.forecast_units::double as forecast_units,
        forecast.forecast_lo_80::double as forecast_lo_80,
        forecast.forecast_hi_80::double as forecast_hi_80,
        forecast.forecast_lo_95::double as forecast_lo_95,
        forecast.forecast_hi_95::double as forecast_hi_95,
        forecast.model::varchar as model,
        forecast.demand_pattern::varchar as demand_pattern,
        forecast.model_weights::varchar as model_weights,
        forecast.segment::varchar as segment
    from forecast
    inner join sku_family using (sku)
)

select * from final
