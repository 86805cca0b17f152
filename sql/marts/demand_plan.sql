-- demand_plan: the consensus demand plan. Per sku x region and month of the horizon, the statistical
-- forecast, the consensus after the demand review (sop/demand/consensus.py: the frame consensus), and
-- the consensus's 80% interval: the statistical interval shifted by the adjustment, never below zero.
-- Grain: one row per plan_month x sku x region x month of the horizon.
with forecast as (
    select * from draft.sku_forecast where plan_month = $plan_month
),

final as (
    select
        $plan_month::date as plan_month,
        forecast.sku::varchar as sku,
        forecast.region::varchar as region,
        forecast.product_family::varchar as product_family,
        forecast.month::date as month,
        consensus.statistical_units::double as statistical_units,
        consensus.consensus_units::double as consensus_units,
        (consensus.consensus_units - consensus.statistical_units)::double as adjustment_units,
        greatest(0, forecast.forecast_lo_80 + (consensus.consensus_units - consensus.statistical_units))::double
            as consensus_lo_80,
        greatest(0, forecast.forecast_hi_80 + (consensus.consensus_units - consensus.statistical_units))::double
            as consensus_hi_80
    from forecast
    inner join consensus using (sku, region, month)
)

select * from final
order by sku, region, month
