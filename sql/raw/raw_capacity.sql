-- raw_capacity: the capacity extract exactly as it arrived, every value as text.
-- Grain: one row per row of the file, per plan month (one row per month x plant x product_family, for the months of the horizon).
-- Columns the file lacks are null here; raw_loads records which ones, and the checks fail on them.
select
    $plan_month::date as plan_month,
    _source_row::bigint as _source_row,
    month::varchar as month,
    plant::varchar as plant,
    product_family::varchar as product_family,
    capacity_units::varchar as capacity_units,
    $source_file::varchar as _source_file,
    $source_sha256::varchar as _source_sha256,
    $loaded_at::timestamp as _loaded_at
from landed
