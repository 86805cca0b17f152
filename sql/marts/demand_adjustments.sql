-- demand_adjustments: every change of the plan month's demand review with what it did: the series it
-- landed on and their units before and after (sop/demand/consensus.py: the frame landed_changes).
-- Grain: one row per plan_month x month x product_family x sku x region x source (the adjustments
-- extract's key); sku and region are null where the change covers the whole family or every region.
with changes as (
    select * from landed_changes
),

final as (
    select
        $plan_month::date as plan_month,
        month::date as month,
        product_family::varchar as product_family,
        sku::varchar as sku,
        region::varchar as region,
        source::varchar as source,
        kind::varchar as kind,
        value::double as value,
        owner::varchar as owner,
        reason::varchar as reason,
        scope::varchar as scope,
        series::integer as series,
        units_before::double as units_before,
        units_after::double as units_after,
        (units_after - units_before)::double as contribution_units,
        floored_units::double as floored_units
    from changes
)

select * from final
-- A total order, ties included: the stored order is the order later months sum the changes in, and a
-- float sum's last digit depends on it.
order by month, product_family, sku, region, source, kind, value, owner, reason, units_before
