-- stg_sales: the validated sales extract, typed and trimmed.
-- Grain: one row per plan_month x month x sku x region (the sales suite checks the key is unique).
with raw as (
    select * from raw_sales where plan_month = $plan_month
),

typed as (
    select
        plan_month,
        strptime(left(trimmed(month, $whitespace), 7), '%Y-%m')::date as month,
        trimmed(sku, $whitespace) as sku,
        trimmed(product_family, $whitespace) as product_family,
        trimmed(region, $whitespace) as region,
        trimmed(units, $whitespace)::double as units,
        trimmed(net_revenue, $whitespace)::double as net_revenue,
        _source_row
    from raw
)

select * from typed
