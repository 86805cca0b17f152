-- plan_settings: the settings in force when the month was planned: those the reports read, so that an
-- old month is always reported as it was planned, and the whole file and every value in force.
-- Grain: one row per plan_month.
select
    $plan_month::date as plan_month,
    $long_horizon_from::integer as long_horizon_from,
    $near_term_months::integer as near_term_months,
    $settings_source::varchar as settings_source,
    $settings_text::varchar as settings_text,
    $settings_sha256::varchar as settings_sha256,
    $settings_values::varchar as settings_values,
    $currency::varchar as currency
