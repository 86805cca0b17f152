-- data_warnings: what the checks of the month's extracts warned of, as the published register keeps it
-- (kind data_quality): the input contract's warnings, and what the checks against the month before and
-- the extracts' own history found (a region's month missing, a restated history). These are the numbers the
-- plan ran on: the pack shows them on its first page. Grain: one row per plan_month x warning.
with warnings as (
    select plan_month, product_family, period, subject as warning, status, first_seen_plan_month
    from risk_register
    where kind = 'data_quality' and scenario = 'base'
)

select
    *,
    row_number() over (partition by plan_month order by product_family nulls first, period, warning) as position
from warnings
