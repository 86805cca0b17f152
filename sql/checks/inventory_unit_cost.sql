-- inventory_unit_cost: each family's unit costs in this plan month's snapshot against last plan month's,
-- sku by location. A position whose cost changed by more than $unit_cost_factor (either way) jumped. Grain: one row
-- per product_family with positions priced in both snapshots (the check judges jumped_positions).
with families as (
    select distinct sku, product_family from stg_sales where plan_month = $plan_month
),

costs as (
    select
        sku,
        location,
        max(unit_cost) filter (where plan_month = $previous_plan_month) as cost_before,
        max(unit_cost) filter (where plan_month = $plan_month) as cost_now
    from stg_inventory
    where plan_month in ($plan_month, $previous_plan_month)
    group by sku, location
    having cost_before > 0 and cost_now > 0
),

judged as (
    select *, greatest(cost_now / cost_before, cost_before / cost_now) as jump, jump > $unit_cost_factor as jumped
    from costs
    join families using (sku)
),

evidence as (
    select
        product_family,
        strftime($last_month, '%Y-%m') as months,
        count(*) as positions,
        count(*) filter (where jumped) as jumped_positions,
        -- One position for all three (the first by name among equal jumps), whatever the order of the rows.
        first(sku || ' at ' || location order by jump desc, sku, location) filter (where jumped) as example,
        first(cost_before order by jump desc, sku, location) filter (where jumped) as example_before,
        first(cost_now order by jump desc, sku, location) filter (where jumped) as example_now
    from judged
    group by product_family
)

select row_number() over (order by product_family) as _source_row, * from evidence
