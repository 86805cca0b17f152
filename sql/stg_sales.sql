-- stg_sales: the validated sales extract, typed and trimmed.
-- Grain: one row per plan_month x month x sku x region (the sales suite checks the key is unique).
with raw as (
    select * from raw_sales where plan_month = $plan_month
),

typed as (
    select
        plan_month,
        strptime(left(trim(month), 7), '%Y-%m')::date as month,
        trim(sku) as sku,
        trim(product_family) as product_family,
        trim(region) as region,
        trim(units)::double as units,
        trim(net_revenue)::double as net_revenue,
        _source_row
    from raw
)

select * from typed
