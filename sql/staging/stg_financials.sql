-- stg_financials: the validated budget (annual operating plan), typed and trimmed.
-- Grain: one row per plan_month x month x product_family (unique: checked by the financials suite).
with raw as (
    select * from raw_financials where plan_month = $plan_month
),

typed as (
    select
        plan_month,
        strptime(left(trimmed(month, $whitespace), 7), '%Y-%m')::date as month,
        trimmed(product_family, $whitespace) as product_family,
        trimmed(budget_units, $whitespace)::double as budget_units,
        trimmed(budget_revenue, $whitespace)::double as budget_revenue,
        trimmed(budget_cogs, $whitespace)::double as budget_cogs,
        _source_row
    from raw
)

select * from typed
