-- int_sales_history: the monthly unit history per sku x region that the baseline forecast reads.
-- Grain: one row per sku x region x month with sales (months without a row are zero sales).
-- With [checks] hold_out_missing_sales, a series that the check sales_coverage found missing from the last
-- closed month, in a region's family it warned of (a late feed), is held out of that month: the forecast
-- reads an estimate of the month from the series' months before (sql/checks/sales_coverage.sql) instead of
-- zero: the mean of two forecasts of it, the same month a year before scaled as the months before it moved
-- against theirs a year before, and the mean of those months (that mean alone where the series has no year
-- before). bench/hold_out.py scores it: each forecast alone is worse on one of the sample company, M1 and
-- Tourism.
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

expected as (
    select sku, product_family, region, avg(units) as mean_units
    from sales
    semi join late using (region, product_family)
    where month >= $trailing_from and month < $last_month and units > 0
    group by sku, product_family, region
    having count(*) = $coverage_trailing_months
),

held_out as (
    select expected.*
    from expected
    left join sales as last_month
        on last_month.sku = expected.sku and last_month.region = expected.region and last_month.month = $last_month
    where coalesce(last_month.units, 0) < $coverage_near_zero * expected.mean_units
),

year_before as (
    select
        sku,
        region,
        sum(units) filter (where month >= $trailing_from and month < $last_month) as recent_units,
        sum(units) filter (where month >= $year_before_trailing_from and month < $year_before_last_month)
            as recent_units_year_before,
        sum(units) filter (where month = $year_before_last_month) as units_year_before
    from sales
    semi join held_out using (sku, region)
    group by sku, region
),

imputed as (
    select
        held_out.sku,
        held_out.region,
        held_out.product_family,
        case
            when year_before.recent_units_year_before > 0 and year_before.units_year_before is not null
                then (
                    year_before.units_year_before * year_before.recent_units / year_before.recent_units_year_before
                    + held_out.mean_units
                ) / 2
            else held_out.mean_units
        end as units
    from held_out
    left join year_before using (sku, region)
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
