-- int_sku_value: the price and cost each sku's units are valued at, in the plan and the outlook.
-- Grain: one row per sku. Price: net revenue per unit over the recent months (from $price_from),
-- the family's where a sku has none; cost: the inventory extract's unit cost, the family's
-- cost-to-price ratio times the price where a sku has none.
with sku_family as (
    select distinct sku, product_family from stg_sales where plan_month = $plan_month
),

recent_sales as (
    select sku, product_family, sum(units) as units, sum(net_revenue) as net_revenue
    from stg_sales
    where plan_month = $plan_month and month >= $price_from
    group by sku, product_family
),

family_price as (
    select product_family, sum(net_revenue) / nullif(sum(units), 0) as unit_price
    from recent_sales
    group by product_family
),

sku_cost as (
    select sku, avg(unit_cost) as unit_cost
    from stg_inventory
    where plan_month = $plan_month
    group by sku
),

sku_price as (
    -- A sku without recent sales (a launch, a lull) is priced like its family.
    select
        sku_family.sku,
        sku_family.product_family,
        coalesce(recent_sales.net_revenue / nullif(recent_sales.units, 0), family_price.unit_price) as unit_price,
        sku_cost.unit_cost
    from sku_family
    left join recent_sales using (sku, product_family)
    left join family_price using (product_family)
    left join sku_cost using (sku)
),

family_cost_ratio as (
    select product_family, sum(unit_cost) / nullif(sum(unit_price), 0) as cost_ratio
    from sku_price
    where unit_cost is not null and unit_price is not null
    group by product_family
),

sku_value as (
    -- A sku missing from the inventory extract is costed at its family's cost-to-price ratio.
    select
        sku_price.sku,
        sku_price.product_family,
        coalesce(sku_price.unit_price, 0) as unit_price,
        coalesce(sku_price.unit_cost, sku_price.unit_price * family_cost_ratio.cost_ratio, 0) as unit_cost
    from sku_price
    left join family_cost_ratio using (product_family)
)

select * from sku_value
