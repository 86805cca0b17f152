-- inventory_on_hand: each family's stock on hand in this plan month's snapshot against last plan month's,
-- the skus' families as this month's sales extract names them. change_factor: how many times the larger
-- the snapshot is than the smaller. Grain: one row per product_family with stock in both snapshots (the
-- check judges change_factor).
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
        max(units) filter (where plan_month = $plan_month) as units_now,
        greatest(units_now / units_before, units_before / units_now) as change_factor
    from on_hand
    group by product_family
    having units_before > 0 and units_now > 0
)

select row_number() over (order by product_family) as _source_row, * from evidence
