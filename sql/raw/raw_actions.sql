-- raw_actions: the decision and action log exactly as it arrived, every value as text; none in a month
-- whose folder has no actions file (contract v2: optional).
-- Grain: one row per row of the file, per plan month (one row per action_id). Columns the file lacks
-- are null here; raw_loads records which ones.
select
    $plan_month::date as plan_month,
    _source_row::bigint as _source_row,
    action_id::varchar as action_id,
    decided_month::varchar as decided_month,
    description::varchar as description,
    owner::varchar as owner,
    due_month::varchar as due_month,
    status::varchar as status,
    product_family::varchar as product_family,
    risk_kind::varchar as risk_kind,
    closed_month::varchar as closed_month,
    $source_file::varchar as _source_file,
    $source_sha256::varchar as _source_sha256,
    $loaded_at::timestamp as _loaded_at
from landed
