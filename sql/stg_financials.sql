-- stg_financials: the validated budget (annual operating plan), typed and trimmed.
-- Grain: one row per plan_month x month x product_family (unique: checked by the financials suite).
with raw as (
    select * from raw_financials where plan_month = $plan_month
),

typed as (
    select
        plan_month,
        strptime(left(trim(month), 7), '%Y-%m')::date as month,
        trim(product_family) as product_family,
        trim(budget_units)::double as budget_units,
        trim(budget_revenue)::double as budget_revenue,
        trim(budget_cogs)::double as budget_cogs,
        _source_row
    from raw
)

select * from typed
