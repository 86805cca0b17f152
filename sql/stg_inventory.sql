-- stg_inventory: the validated inventory position at the close of M-1, typed and trimmed.
-- Grain: one row per plan_month x sku x location (unique: checked by the inventory suite).
-- Skus unknown to sales pass validation with a warning and are kept here, but no family plan counts them.
with raw as (
    select * from raw_inventory where plan_month = $plan_month
),

typed as (
    select
        plan_month,
        strptime(left(trim(snapshot_month), 7), '%Y-%m')::date as snapshot_month,
        trim(sku) as sku,
        trim(location) as location,
        trim(on_hand_units)::double as on_hand_units,
        trim(safety_stock_units)::double as safety_stock_units,
        trim(unit_cost)::double as unit_cost,
        _source_row
    from raw
)

select * from typed
