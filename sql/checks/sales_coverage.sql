-- sales_coverage: the last closed month's coverage of the series that sold before it, per region and
-- family. A series (sku x region) that sold in each of the $coverage_trailing_months months before the last
-- closed month is expected in it; it is missing when it sold nothing there or under $coverage_near_zero of its
-- mean over those months. Grain: one row per region x product_family with at least $coverage_min_series such
-- series (the check judges missing_share).
with sales as (
    select sku, product_family, region, month, units
    from stg_sales
    where plan_month = $plan_month
),

expected as (
    select sku, product_family, region, avg(units) as mean_units
    from sales
    where month >= $trailing_from and month < $last_month and units > 0
    group by sku, product_family, region
    having count(*) = $coverage_trailing_months
),

last_month as (
    select sku, region, units from sales where month = $last_month
),

judged as (
    select
        expected.region,
        expected.product_family,
        coalesce(last_month.units, 0) < $coverage_near_zero * expected.mean_units as missing
    from expected
    left join last_month using (sku, region)
),

evidence as (
    select
        region,
        product_family,
        strftime($last_month, '%Y-%m') as months,
        count(*) as expected_series,
        count(*) filter (where missing) as missing_series,
        count(*) filter (where missing) / count(*) as missing_share
    from judged
    group by region, product_family
    having count(*) >= $coverage_min_series
)

select row_number() over (order by region, product_family) as _source_row, * from evidence
