-- raw_sales: the sales extract exactly as it arrived, every value as text.
-- Grain: one row per row of the file, per plan month (one row per month x sku x region, history up to and including M-1).
-- Columns the file lacks are null here; raw_loads records which ones, and the checks fail on them.
select
    $plan_month::date as plan_month,
    _source_row::bigint as _source_row,
    month::varchar as month,
    sku::varchar as sku,
    product_family::varchar as product_family,
    region::varchar as region,
    units::varchar as units,
    net_revenue::varchar as net_revenue,
    $source_file::varchar as _source_file,
    $source_sha256::varchar as _source_sha256,
    $loaded_at::timestamp as _loaded_at
from landed
