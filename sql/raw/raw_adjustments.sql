-- raw_adjustments: the demand review's changes to the statistical forecast exactly as they arrived,
-- every value as text; none in a month whose folder has no adjustments file (contract v2: optional).
-- Grain: one row per row of the file, per plan month (one row per change: month x product_family x
-- sku x region x source). Columns the file lacks are null here; raw_loads records which ones.
select
    $plan_month::date as plan_month,
    _source_row::bigint as _source_row,
    month::varchar as month,
    product_family::varchar as product_family,
    sku::varchar as sku,
    region::varchar as region,
    kind::varchar as kind,
    value::varchar as value,
    source::varchar as source,
    owner::varchar as owner,
    reason::varchar as reason,
    $source_file::varchar as _source_file,
    $source_sha256::varchar as _source_sha256,
    $loaded_at::timestamp as _loaded_at
from landed
