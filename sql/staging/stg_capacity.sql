-- stg_capacity: the validated capacity extract, typed and trimmed.
-- Grain: one row per plan_month x month x plant x product_family (unique: checked by the capacity suite).
with raw as (
    select * from raw_capacity where plan_month = $plan_month
),

typed as (
    select
        plan_month,
        strptime(left(trimmed(month, $whitespace), 7), '%Y-%m')::date as month,
        trimmed(plant, $whitespace) as plant,
        trimmed(product_family, $whitespace) as product_family,
        trimmed(capacity_units, $whitespace)::double as capacity_units,
        _source_row
    from raw
)

select * from typed
