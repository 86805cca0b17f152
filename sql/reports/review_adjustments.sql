-- review_adjustments: 1. What has changed since last month? The demand review's changes of each plan
-- month, by source with owner and reason, largest first: what each did to the plan's demand over the
-- horizon (a change repeated over several months is one row, with its first and last month).
-- Grain: one row per plan_month x source x owner x product_family x sku x region x kind x reason.
with grouped as (
    select
        plan_month,
        source,
        owner,
        product_family,
        sku,
        region,
        kind,
        reason,
        min(month) as first_month,
        max(month) as last_month,
        count(*) as changes,
        sum(contribution_units) as contribution_units,
        sum(floored_units) as floored_units
    from demand_adjustments
    group by plan_month, source, owner, product_family, sku, region, kind, reason
)

select
    *,
    case
        when sku is not null and region is not null then sku || ' in ' || region
        when sku is not null then sku || ', every region'
        when region is not null then 'the family in ' || region
        else 'the whole family'
    end as applies_to,
    strftime(first_month, '%Y-%m') || case when last_month > first_month then ' to ' || strftime(last_month, '%Y-%m') else '' end
        as period,
    row_number() over (
        partition by plan_month
        order by abs(contribution_units) desc, source, owner, product_family, sku nulls first, region nulls first, kind, reason
    ) as position
from grouped
