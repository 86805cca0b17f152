-- inventory_on_hand: each family's stock on hand in this plan month's snapshot against last plan month's,
-- the skus' families as this month's sales extract names them. change_factor: how many times the larger
-- the snapshot is than the smaller (stock gone altogether: without bound). Grain: one row per product_family
-- with stock in last month's snapshot (the check judges change_factor).
with families as (
    select distinct sku, product_family from stg_sales where plan_month = $plan_month
),

on_hand as (
    select plan_month, product_family, sum(on_hand_units) as units
    from stg_inventory
    join families using (sku)
    where plan_month in ($plan_month, $previous_plan_month)
    group by plan_month, product_family
),

evidence as (
    select
        product_family,
        strftime($last_month, '%Y-%m') as months,
        max(units) filter (where plan_month = $previous_plan_month) as units_before,
        coalesce(max(units) filter (where plan_month = $plan_month), 0) as units_now,
        greatest(units_now / units_before, units_before / greatest(units_now, 1e-9)) as change_factor,
        case when units_now > 0 then printf('%.1f times', change_factor) else 'gone' end as change
    from on_hand
    group by product_family
    having units_before > 0
)

select row_number() over (order by product_family) as _source_row, * from evidence
