-- stg_adjustments: the validated changes of the demand review, typed and trimmed (a blank sku or
-- region is null: the change covers the whole family, or every region).
-- Grain: one row per plan_month x month x product_family x sku x region x source (unique: checked by
-- the adjustments suite).
with raw as (
    select * from raw_adjustments where plan_month = $plan_month
),

typed as (
    select
        plan_month,
        strptime(left(trimmed(month, $whitespace), 7), '%Y-%m')::date as month,
        trimmed(product_family, $whitespace) as product_family,
        trimmed(sku, $whitespace) as sku,
        trimmed(region, $whitespace) as region,
        trimmed(kind, $whitespace) as kind,
        trimmed(value, $whitespace)::double as value,
        trimmed(source, $whitespace) as source,
        trimmed(owner, $whitespace) as owner,
        trimmed(reason, $whitespace) as reason,
        _source_row
    from raw
)

select * from typed
