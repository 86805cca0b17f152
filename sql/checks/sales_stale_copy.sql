-- sales_stale_copy: the last closed month against the month before, series by series (sku x region):
-- how many of the series that sold in either month have the same units and revenue in both. Grain: one
-- row, when at least $stale_copy_min_series series sold in either month (the check judges equal_share).
with sales as (
    select sku, region, month, units, net_revenue
    from stg_sales
    where plan_month = $plan_month and month in ($last_month, $month_before)
),

series as (
    select
        sku,
        region,
        max(units) filter (where month = $last_month) as last_units,
        max(units) filter (where month = $month_before) as before_units,
        max(net_revenue) filter (where month = $last_month) as last_revenue,
        max(net_revenue) filter (where month = $month_before) as before_revenue
    from sales
    group by sku, region
),

evidence as (
    select
        strftime($last_month, '%Y-%m') as months,
        strftime($month_before, '%Y-%m') as month_before,
        count(*) as series,
        count(*) filter (where last_units = before_units and last_revenue = before_revenue) as equal_series,
        count(*) filter (where last_units = before_units and last_revenue = before_revenue) / count(*) as equal_share
    from series
    -- Rows of zero units in both months (a discontinued series the extract still lists) are equal but sold
    -- nothing: not a copy.
    where coalesce(last_units, 0) > 0 or coalesce(before_units, 0) > 0
    having count(*) >= $stale_copy_min_series
)

select 1 as _source_row, * from evidence
