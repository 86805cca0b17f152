-- plan_settings: the settings in force when the month was planned that the reports read, so that an
-- old month is always reported as it was planned. Grain: one row per plan_month.
select
    $plan_month::date as plan_month,
    $long_horizon_from::integer as long_horizon_from,
    $near_term_months::integer as near_term_months
