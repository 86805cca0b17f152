-- demand_adjustments: the contract of the published table, created before any month is planned: its
-- columns, their types (what marts/demand_adjustments.sql writes, in order) and their meaning.
create table if not exists demand_adjustments (
    plan_month date,
    month date,
    product_family varchar,
    sku varchar,
    region varchar,
    source varchar,
    kind varchar,
    value double,
    owner varchar,
    reason varchar,
    scope varchar,
    series integer,
    units_before double,
    units_after double,
    contribution_units double,
    floored_units double
);

comment on table demand_adjustments is 'Every change of the demand review with what it did to the forecast. One row per plan_month x month x product_family x sku x region x source.';
comment on column demand_adjustments.plan_month is 'The plan month whose adjustments extract held the change.';
comment on column demand_adjustments.month is 'The month changed.';
comment on column demand_adjustments.product_family is 'The family changed.';
comment on column demand_adjustments.sku is 'The sku changed; null when the change covers the whole family.';
comment on column demand_adjustments.region is 'The region changed; null when the change covers every region.';
comment on column demand_adjustments.source is 'Who made it: sales, marketing, finance, supply or executive.';
comment on column demand_adjustments.kind is 'add_units (value added), set_units (the forecast becomes value) or scale_pct (changed by value percent).';
comment on column demand_adjustments.value is 'Units, or percent for scale_pct, as the extract gave it.';
comment on column demand_adjustments.owner is 'Who answers for the number.';
comment on column demand_adjustments.reason is 'Why: a promotion, a lost customer, a tender.';
comment on column demand_adjustments.scope is 'family, family_region, sku or sku_region: the broader, the earlier it landed.';
comment on column demand_adjustments.series is 'How many sku x region series it landed on (0: none, and it did nothing).';
comment on column demand_adjustments.units_before is 'The units of those series just before the change.';
comment on column demand_adjustments.units_after is 'Their units just after it.';
comment on column demand_adjustments.contribution_units is 'units_after minus units_before: what the change added to the consensus.';
comment on column demand_adjustments.floored_units is 'Units of the change that would have taken series below zero, and were not applied.';
