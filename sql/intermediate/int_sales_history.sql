-- int_sales_history: the monthly unit history per sku x region that the baseline forecast reads.
-- Grain: one row per sku x region x month with sales (months without a row are zero sales).
-- With [checks] hold_out_missing_sales, a series that the check sales_coverage found missing from the last
-- closed month, in a region's family it warned of (a late feed), is held out of that month: the forecast
-- reads an estimate of the month instead of zero. The estimate is the series' mean over the months before
-- (sql/checks/sales_coverage.sql) moved as the same family's series in the regions that did report moved from
-- their months before to the last month (at least $coverage_min_series of them): that carries the season and
-- the month's own news. Without such peers (every region of the family late) it is the mean of two forecasts
-- of the month: the same month a year before scaled as the months before it moved against theirs a year
-- before, and the mean of those months (that mean alone where the series has no year before).
-- bench/hold_out.py scores each estimate.
with sales as (
    select sku, region, product_family, month, units
    from stg_sales
    where plan_month = $plan_month
),

late as (
    select distinct region, product_family
    from validation_results
    where $hold_out_missing_sales
        and plan_month = $plan_month
        and check_name = 'sales_history'
        and severity = 'warning'
        and starts_with(detail, 'sales_coverage:')
),

series as (
    select
        sku,
        region,
        product_family,
        avg(units) filter (where month >= $trailing_from and month < $last_month and units > 0) as mean_units,
        count(*) filter (where month >= $trailing_from and month < $last_month and units > 0) as months_sold,
        coalesce(sum(units) filter (where month = $last_month), 0) as last_units,
        sum(units) filter (where month >= $year_before_trailing_from and month < $year_before_last_month)
            as recent_units_year_before,
        sum(units) filter (where month = $year_before_last_month) as units_year_before
    from sales
    where month >= $year_before_trailing_from
    group by sku, region, product_family
),

held_out as (
    select *
    from series
    semi join late using (region, product_family)
    where months_sold = $coverage_trailing_months and last_units < $coverage_near_zero * mean_units
),

peers as (
    select product_family, sum(last_units) / sum(mean_units) as last_month_ratio
    from series
    anti join late using (region, product_family)
    where months_sold = $coverage_trailing_months
    group by product_family
    having count(*) >= $coverage_min_series
),

imputed as (
    select
        held_out.sku,
        held_out.region,
        held_out.product_family,
        case
            when peers.last_month_ratio is not null then held_out.mean_units * peers.last_month_ratio
            when held_out.recent_units_year_before > 0 and held_out.units_year_before is not null
                then (
                    held_out.units_year_before * held_out.mean_units * $coverage_trailing_months
                    / held_out.recent_units_year_before
                    + held_out.mean_units
                ) / 2
            else held_out.mean_units
        end as units
    from held_out
    left join peers using (product_family)
),

history as (
    select * from sales
    anti join held_out using (sku, region)
    union all by name
    select * from sales
    semi join held_out using (sku, region)
    where month <> $last_month
    union all by name
    select sku, region, product_family, $last_month::date as month, units
    from imputed
)

select sku, region, product_family, month, units
from history
order by sku, region, month
