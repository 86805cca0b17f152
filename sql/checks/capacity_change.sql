-- capacity_change: each plant's capacity for each family in the months both this and last plan month's
-- capacity extract hold, as each tells it. A month whose capacity is gone (none now, some before) or
-- changed by more than $capacity_factor either way is changed. Grain: one row per plant x product_family of
-- either extract (the check judges changed_months).
with capacity as (
    select plan_month, plant, product_family, month, sum(capacity_units) as units
    from stg_capacity
    where plan_month in ($plan_month, $previous_plan_month)
    group by plan_month, plant, product_family, month
),

overlap as (
    select
        (select min(month) from capacity where plan_month = $plan_month) as first_month,
        (select max(month) from capacity where plan_month = $previous_plan_month) as last_month
),

compared as (
    select
        plant,
        product_family,
        month,
        coalesce(max(units) filter (where plan_month = $previous_plan_month), 0) as units_before,
        coalesce(max(units) filter (where plan_month = $plan_month), 0) as units_now
    from capacity
    where month between (select first_month from overlap) and (select last_month from overlap)
    group by plant, product_family, month
),

judged as (
    select
        *,
        units_before > 0 and (
            units_now = 0 or greatest(units_now / units_before, units_before / units_now) > $capacity_factor
        ) as changed
    from compared
),

evidence as (
    select
        plant,
        product_family,
        count(*) filter (where changed) as changed_months,
        strftime(min(month) filter (where changed), '%Y-%m')
        || case
            when count(*) filter (where changed) > 1 then ' to ' || strftime(max(month) filter (where changed), '%Y-%m')
            else ''
        end as months,
        coalesce(sum(units_before) filter (where changed), 0) as units_before,
        coalesce(sum(units_now) filter (where changed), 0) as units_now
    from judged
    group by plant, product_family
)

select row_number() over (order by plant, product_family) as _source_row, * from evidence
