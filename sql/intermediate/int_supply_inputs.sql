-- int_supply_inputs: what each family's supply plan works from (see sop/plan/supply.py), in the base plan
-- or a scenario (sop/plan/scenarios.py: demand and capacity factors for a family or plant and months).
-- Grain: one row per product_family x month of the horizon. Demand is the consensus (demand_plan).
with family_demand as (
    select
        product_family,
        month,
        sum(consensus_units)
        * (case when $demand_family::varchar is null or product_family = $demand_family then $demand_factor else 1 end)
            as demand_units
    from draft.demand_plan
    where plan_month = $plan_month
    group by product_family, month
),

family_capacity as (
    -- The plants of a family together: the extracts give no reason to prefer one.
    select
        product_family,
        month,
        sum(
            capacity_units * case
                when ($capacity_plant::varchar is null or plant = $capacity_plant)
                    and ($capacity_from::date is null or month >= $capacity_from)
                    and ($capacity_to::date is null or month <= $capacity_to)
                    then $capacity_factor
                else 1
            end
        ) as capacity_units
    from stg_capacity
    where plan_month = $plan_month
    group by product_family, month
),

sku_family as (
    select distinct sku, product_family from stg_sales where plan_month = $plan_month
),

family_inventory as (
    select
        sku_family.product_family,
        sum(stg_inventory.on_hand_units) as opening_units,
        sum(stg_inventory.safety_stock_units) as safety_stock_units
    from stg_inventory
    inner join sku_family using (sku)
    where stg_inventory.plan_month = $plan_month
    group by sku_family.product_family
),

final as (
    select
        family_demand.product_family,
        family_demand.month,
        family_demand.demand_units,
        coalesce(family_capacity.capacity_units, 0) as capacity_units,
        coalesce(family_inventory.opening_units, 0) as opening_units,
        coalesce(family_inventory.safety_stock_units, 0) as safety_stock_units
    from family_demand
    left join family_capacity using (product_family, month)
    left join family_inventory using (product_family)
)

select * from final
order by product_family, month
