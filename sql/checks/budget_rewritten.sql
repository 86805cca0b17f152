-- budget_rewritten: each family's budget of each calendar year, over the months both this and last plan
-- month's financials extract hold, as each tells it. change: the larger relative change of revenue and
-- units. Grain: one row per product_family x year (the check judges change).
with budget as (
    select plan_month, product_family, month, budget_units, budget_revenue
    from stg_financials
    where plan_month in ($plan_month, $previous_plan_month)
),

overlap as (
    select
        greatest(
            (select min(month) from budget where plan_month = $plan_month),
            (select min(month) from budget where plan_month = $previous_plan_month)
        ) as first_month,
        least(
            (select max(month) from budget where plan_month = $plan_month),
            (select max(month) from budget where plan_month = $previous_plan_month)
        ) as last_month
),

years as (
    select
        product_family,
        year(month) as year,
        sum(budget_revenue) filter (where plan_month = $previous_plan_month) as revenue_before,
        coalesce(sum(budget_revenue) filter (where plan_month = $plan_month), 0) as revenue_now,
        sum(budget_units) filter (where plan_month = $previous_plan_month) as units_before,
        coalesce(sum(budget_units) filter (where plan_month = $plan_month), 0) as units_now
    from budget
    where month between (select first_month from overlap) and (select last_month from overlap)
    group by product_family, year(month)
),

evidence as (
    select
        product_family,
        year::varchar as months,
        revenue_before,
        revenue_now,
        units_before,
        units_now,
        greatest(
            abs(coalesce(revenue_now, 0) / nullif(revenue_before, 0) - 1),
            abs(coalesce(units_now, 0) / nullif(units_before, 0) - 1)
        ) as change
    from years
    where revenue_before > 0 or units_before > 0
)

select row_number() over (order by product_family, months) as _source_row, * from evidence
