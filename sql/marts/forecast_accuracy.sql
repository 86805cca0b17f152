-- forecast_accuracy: the forecasts of record of earlier plan months (the approved version where a
-- month was approved, else the published one) against the actuals that have
-- arrived since, at every level of the hierarchy.
-- Grain: one row per plan_month x lag x level x product_family x sku x region x month, for the
-- months of the trailing window ($first_month to $last_month). Lag k is the forecast of a month
-- published k - 1 plan months before it (lag 1: made from the actuals up to the month before).
-- Levels: sku_region (the forecast's grain), sku, family, total; a key above its level is null.
-- Interval hits at sku_region (sku_forecast's intervals) and family (family_forecast's).
-- Every level is judged as its own series: a family's error is that of the family's total.
-- The seasonal naive forecast is the same month a year before (zero before the first sale); the
-- MASE scale is its mean absolute error over the months before the forecast was made that have
-- a year of history before them (null for a series younger than 13 months).
with sales as (
    select sku, region, product_family, month, sum(units) as units
    from stg_sales
    where plan_month = $plan_month
    group by sku, region, product_family, month
),

calendar as (
    select sku, region, product_family, unnest(generate_series(min(month), $last_month, interval 1 month))::date as month
    from sales
    group by sku, region, product_family
),

actuals as (
    -- Months without a sales row are zero sales.
    select calendar.sku, calendar.region, calendar.product_family, calendar.month, coalesce(sales.units, 0) as units
    from calendar
    left join sales using (sku, region, product_family, month)
),

lags as (
    select unnest($lags::integer[]) as lag
),

levels as (
    -- grouping(product_family, sku, region) of each grouping set: a bit per key left out.
    select * from (values (0, 'sku_region'), (1, 'sku'), (3, 'family'), (7, 'total')) as names(grouping_id, level)
),

targets as (
    -- The (lag, month) pairs whose forecast was published: its plan month has a forecast.
    select lags.lag, (published.plan_month + to_months(lags.lag - 1))::date as month, published.plan_month
    from (select distinct plan_month from int_record_sku_forecast) as published
    cross join lags
    where (published.plan_month + to_months(lags.lag - 1))::date between $first_month and $last_month
),

forecasts as (
    select targets.lag, forecast.*
    from int_record_sku_forecast as forecast
    inner join targets on forecast.plan_month = targets.plan_month and forecast.month = targets.month
),

target_actuals as (
    select targets.lag, actuals.*
    from actuals
    inner join targets using (month)
),

paired as (
    -- A series that sold without a forecast was forecast zero; one forecast but gone from the
    -- sales extract sold zero.
    select
        lag,
        month,
        sku,
        region,
        coalesce(target_actuals.product_family, forecasts.product_family) as product_family,
        coalesce(target_actuals.units, 0) as actual_units,
        coalesce(forecasts.forecast_units, 0) as forecast_units,
        case when forecasts.forecast_units is not null then
            coalesce(target_actuals.units, 0) between forecasts.forecast_lo_80 and forecasts.forecast_hi_80
        end as within_80,
        case when forecasts.forecast_units is not null then
            coalesce(target_actuals.units, 0) between forecasts.forecast_lo_95 and forecasts.forecast_hi_95
        end as within_95
    from target_actuals
    full outer join forecasts using (lag, month, sku, region)
),

with_naive as (
    select paired.*, coalesce(last_year.units, 0) as naive_units
    from paired
    left join actuals as last_year
        on last_year.sku = paired.sku
        and last_year.region = paired.region
        and last_year.month = (paired.month - to_months(12))::date
),

levelled as (
    select
        lag,
        month,
        (month - to_months(lag - 1))::date as forecast_plan_month,
        grouping(product_family, sku, region) as grouping_id,
        product_family,
        sku,
        region,
        sum(actual_units) as actual_units,
        sum(forecast_units) as forecast_units,
        sum(naive_units) as naive_units,
        -- The forecast's own grain has its intervals; a family has those family_forecast published.
        case when grouping(region) = 0 then bool_and(within_80) end as within_80,
        case when grouping(region) = 0 then bool_and(within_95) end as within_95
    from with_naive
    group by grouping sets (
        (lag, month, product_family, sku, region), (lag, month, product_family, sku), (lag, month, product_family), (lag, month)
    )
),

judged as (
    select
        levels.level,
        levelled.* replace (
            case
                when levels.level = 'family'
                    then levelled.actual_units between family.forecast_lo_80 and family.forecast_hi_80
                else levelled.within_80
            end as within_80,
            case
                when levels.level = 'family'
                    then levelled.actual_units between family.forecast_lo_95 and family.forecast_hi_95
                else levelled.within_95
            end as within_95
        )
    from levelled
    inner join levels using (grouping_id)
    left join int_record_family_forecast as family
        on levels.level = 'family'
        and family.plan_month = levelled.forecast_plan_month
        and family.product_family = levelled.product_family
        and family.month = levelled.month
),

history as (
    -- Every level's actual series, for the MASE scale.
    select
        month,
        grouping(product_family, sku, region) as grouping_id,
        product_family,
        sku,
        region,
        sum(units) as units
    from actuals
    group by grouping sets ((month, product_family, sku, region), (month, product_family, sku), (month, product_family), (month))
),

scales as (
    -- The seasonal naive's mean absolute error up to each month: the scale of forecasts made after it.
    select
        grouping_id,
        product_family,
        sku,
        region,
        month,
        avg(abs(units - last_year_units)) over (
            partition by grouping_id, product_family, sku, region order by month rows unbounded preceding
        ) as scale_units
    from (
        select
            *,
            lag(units, 12) over (partition by grouping_id, product_family, sku, region order by month)
                as last_year_units
        from history
    )
),

final as (
    select
        $plan_month::date as plan_month,
        judged.lag::integer as lag,
        judged.level::varchar as level,
        judged.product_family::varchar as product_family,
        judged.sku::varchar as sku,
        judged.region::varchar as region,
        judged.month::date as month,
        judged.forecast_plan_month::date as forecast_plan_month,
        judged.actual_units::double as actual_units,
        judged.forecast_units::double as forecast_units,
        (judged.forecast_units - judged.actual_units)::double as error_units,
        abs(judged.forecast_units - judged.actual_units)::double as abs_error_units,
        (abs(judged.forecast_units - judged.actual_units) / nullif(judged.actual_units, 0))::double as ape,
        judged.naive_units::double as naive_units,
        abs(judged.naive_units - judged.actual_units)::double as naive_abs_error_units,
        scales.scale_units::double as scale_units,
        (abs(judged.forecast_units - judged.actual_units) / nullif(scales.scale_units, 0))::double
            as scaled_abs_error,
        judged.within_80::boolean as within_80,
        judged.within_95::boolean as within_95
    from judged
    left join scales
        on scales.grouping_id = judged.grouping_id
        and scales.product_family is not distinct from judged.product_family
        and scales.sku is not distinct from judged.sku
        and scales.region is not distinct from judged.region
        and scales.month = (judged.forecast_plan_month - to_months(1))::date
)

select * from final
