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
    select *, greatest(cost_now / cost_before, cost_before / cost_now) > $unit_cost_factor as jumped
    from costs
    join families using (sku)
),

evidence as (
    select
        product_family,
        strftime($last_month, '%Y-%m') as months,
        count(*) as positions,
        count(*) filter (where jumped) as jumped_positions,
        arg_max(sku || ' at ' || location, greatest(cost_now / cost_before, cost_before / cost_now))
            filter (where jumped) as example,
        arg_max(cost_before, greatest(cost_now / cost_before, cost_before / cost_now))
            filter (where jumped) as example_before,
        arg_max(cost_now, greatest(cost_now / cost_before, cost_before / cost_now))
            filter (where jumped) as example_now
    from judged
    group by product_family
)

select row_number() over (order by product_family) as _source_row, * from evidence
