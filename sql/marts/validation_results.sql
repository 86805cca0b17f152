-- validation_results: every rule an extract broke at its last validation, errors and warnings, as one of
-- its checks ($check_name: the contract's, or the checks against history) found them. Grain: one row per
-- plan_month x extract x check_name x column x rule. The risk register reads the warnings of a month that
-- passed (data-quality risks); errors stopped the month.
with failures as (
    select * from rule_failures
),

final as (
    select
        $plan_month::date as plan_month,
        $extract::varchar as extract,
        $source_file::varchar as source_file,
        failures.column_name::varchar as column_name,
        failures.rule::varchar as rule,
        failures.severity::varchar as severity,
        failures.failing_rows::bigint as failing_rows,
        failures.example_rows::bigint[] as example_rows,
        failures.detail::varchar as detail,
        $check_name::varchar as check_name,
        failures.product_family::varchar as product_family,
        failures.region::varchar as region,
        failures.months::varchar as months
    from failures
)

select * from final
