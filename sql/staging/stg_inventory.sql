-- stg_inventory: the validated inventory position at the close of M-1, typed and trimmed.
-- Grain: one row per plan_month x sku x location (unique: checked by the inventory suite).
-- Skus unknown to sales pass validation with a warning and are kept here, but no family plan counts them.
with raw as (
    select * from raw_inventory where plan_month = $plan_month
),

typed as (
    select
        plan_month,
        strptime(left(trimmed(snapshot_month, $whitespace), 7), '%Y-%m')::date as snapshot_month,
        trimmed(sku, $whitespace) as sku,
        trimmed(location, $whitespace) as location,
        trimmed(on_hand_units, $whitespace)::double as on_hand_units,
        trimmed(safety_stock_units, $whitespace)::double as safety_stock_units,
        trimmed(unit_cost, $whitespace)::double as unit_cost,
        _source_row
    from raw
)

select * from typed
