-- raw_loads: what was landed for each extract of each plan month.
-- Grain: one row per plan month x extract. The header as found lets the checks tell a
-- missing column from an empty one, and extra columns are reported without being kept.
select
    $plan_month::date as plan_month,
    $extract::varchar as extract,
    $source_file::varchar as source_file,
    $source_sha256::varchar as source_sha256,
    $source_format::varchar as source_format,
    $row_count::bigint as row_count,
    $header::varchar[] as header,
    $missing_columns::varchar[] as missing_columns,
    $extra_columns::varchar[] as extra_columns,
    $loaded_at::timestamp as loaded_at
