-- raw_inventory: the inventory extract exactly as it arrived, every value as text.
-- Grain: one row per row of the file, per plan month (one row per sku x location: the position at the end of M-1).
-- Columns the file lacks are null here; raw_loads records which ones, and the checks fail on them.
select
    $plan_month::date as plan_month,
    _source_row::bigint as _source_row,
    snapshot_month::varchar as snapshot_month,
    sku::varchar as sku,
    location::varchar as location,
    on_hand_units::varchar as on_hand_units,
    safety_stock_units::varchar as safety_stock_units,
    unit_cost::varchar as unit_cost,
    $source_file::varchar as _source_file,
    $source_sha256::varchar as _source_sha256,
    $loaded_at::timestamp as _loaded_at
from landed
