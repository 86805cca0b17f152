-- sales_restatement: each family's sales history of the months both this plan month's and last plan
-- month's extract hold, as each tells it. A month whose units changed by more than $restatement_tolerance of what
-- last month's extract said, and by at least $restatement_min_units, is restated. A family's last month of last
-- month's extract that sales_coverage then found missing in a region (a late feed), and that grew since, is that
-- region arriving: not a restatement. Grain: one row per product_family of either extract (the check judges
-- restated_months).
with now as (
    select product_family, month, sum(units) as units
    from stg_sales
    where plan_month = $plan_month
    group by product_family, month
),

before as (
    select product_family, month, sum(units) as units
    from stg_sales
    where plan_month = $previous_plan_month
    group by product_family, month
),

overlap as (
    -- An extract may hold a rolling window: only the months both hold are compared.
    select
        greatest((select min(month) from now), (select min(month) from before)) as first_month,
        (select max(month) from before) as last_month
),

compared as (
    select
        product_family,
        month,
        coalesce(before.units, 0) as units_before,
        coalesce(now.units, 0) as units_now
    from now
    full join before using (product_family, month)
    where month between (select first_month from overlap) and (select last_month from overlap)
),

late_then as (
    select distinct product_family
    from validation_results
    where plan_month = $previous_plan_month
        and check_name = 'sales_history'
        and starts_with(detail, 'sales_coverage:')
        and months = strftime($month_before, '%Y-%m')
),

restated as (
    select
        *,
        abs(units_now - units_before) > $restatement_tolerance * units_before
        and abs(units_now - units_before) >= $restatement_min_units
        and not (
            month = $month_before
            and units_now > units_before
            and product_family in (select product_family from late_then)
        ) as is_restated
    from compared
),

evidence as (
    select
        product_family,
        count(*) filter (where is_restated) as restated_months,
        strftime(min(month) filter (where is_restated), '%Y-%m')
        || case
            when count(*) filter (where is_restated) > 1
                then ' to ' || strftime(max(month) filter (where is_restated), '%Y-%m')
            else ''
        end as months,
        coalesce(sum(units_before) filter (where is_restated), 0) as units_before,
        coalesce(sum(units_now) filter (where is_restated), 0) as units_now,
        coalesce(sum(units_now) filter (where is_restated), 0)
        / nullif(sum(units_before) filter (where is_restated), 0) - 1 as change
    from restated
    group by product_family
)

select row_number() over (order by product_family) as _source_row, * from evidence
