-- sales_level_break: each family's and each region's units of the last closed month against their
-- range over the $level_break_months months before it, both summed over the region x family cells that the
-- last month reports: a cell missing altogether (a late region's feed) is sales_coverage's to find, and
-- would otherwise make its family's total look broken. Only a family or region that sold in every one of
-- those months is judged (a launch ramps from nothing), and only where it sold in the last month too. break_factor: how many times the highest the
-- last month is, or how many times under the lowest, whichever is larger. Grain: one row per level
-- (family or region) x name (the check judges break_factor).
with sales as (
    select product_family, region, month, units
    from stg_sales
    where plan_month = $plan_month and month >= $recent_from and month <= $last_month
),

reported as (
    select distinct product_family, region from sales where month = $last_month
),

totals as (
    select 'family' as level, product_family as name, month, sum(units) as units
    from sales
    semi join reported using (product_family, region)
    group by product_family, month
    union all
    select 'region' as level, region as name, month, sum(units) as units
    from sales
    semi join reported using (product_family, region)
    group by region, month
),

ranges as (
    select
        level,
        name,
        min(units) filter (where month < $last_month) as recent_low,
        max(units) filter (where month < $last_month) as recent_high,
        count(*) filter (where month < $last_month and units > 0) as months_sold,
        coalesce(sum(units) filter (where month = $last_month), 0) as last_units
    from totals
    group by level, name
),

evidence as (
    select
        level,
        name,
        strftime($last_month, '%Y-%m') as months,
        last_units,
        recent_low,
        recent_high,
        greatest(last_units / recent_high, recent_low / greatest(last_units, 1e-9)) as break_factor,
        case
            when last_units / recent_high between 300 and 3000 then ' (about 1,000 times: reported in another unit?)'
            when recent_low / greatest(last_units, 1e-9) between 300 and 3000
                then ' (about a thousandth: reported in thousands?)'
            else ''
        end as unit_hint
    from ranges
    where months_sold = $level_break_months and last_units > 0
)

select row_number() over (order by level, name) as _source_row, * from evidence
