-- family_forecast: the statistical baseline forecast per family, the sum of its sku x region series,
-- with intervals calibrated on the errors of the family totals at the rolling origins (see
-- sop/forecast/family_intervals.py): series errors of one family move together, so adding their
-- variances would understate the family's.
-- Grain: one row per plan_month x product_family x month of the horizon.
with families as (
    select * from family_baseline
),

final as (
    select
        $plan_month::date as plan_month,
        product_family::varchar as product_family,
        month::date as month,
        forecast_units::double as forecast_units,
        forecast_lo_80::double as forecast_lo_80,
        forecast_hi_80::double as forecast_hi_80,
        forecast_lo_95::double as forecast_lo_95,
        forecast_hi_95::double as forecast_hi_95
    from families
)

select * from final
