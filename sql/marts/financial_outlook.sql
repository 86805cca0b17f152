-- financial_outlook: are we on plan financially? Per calendar year of the horizon, the actuals
-- so far (year to date, up to M-1) plus the plan for the rest of the year, against the budget.
-- Grain: one row per plan_month x scenario x level (family, total) x product_family x year (the
-- outlook of the base plan and of each scenario, sop/plan/scenarios.py); product_family is
-- null on the total. Actual COGS values the units sold at today's unit cost (int_sku_value); plan
-- figures are the consolidated plan's. A year the horizon or the budget covers only in part says
-- so in plan_months and budget_months. Money is in cents: each family's amounts are rounded before
-- the total adds them up, so the total is the sum of its families to the cent; a sum or difference
-- of amounts in cents is rounded again, as floating point leaves it a hair off the cent.
with plan as (
    select * from draft.consolidated_plan where plan_month = $plan_month and scenario = $scenario
),

years as (
    select distinct year(month) as year from plan
),

actual_months as (
    select
        year(sales.month) as year,
        sales.product_family,
        sum(sales.units) as units,
        sum(sales.net_revenue) as revenue,
        sum(sales.units * int_sku_value.unit_cost) as cogs
    from stg_sales as sales
    inner join int_sku_value using (sku)
    where sales.plan_month = $plan_month and year(sales.month) in (select year from years)
    group by year(sales.month), sales.product_family
),

plan_months as (
    select
        year(month) as year,
        product_family,
        count(*) as months,
        sum(consensus_units - unmet_demand_units) as units,
        sum(plan_revenue) as revenue,
        sum(plan_cogs) as cogs
    from plan
    group by year(month), product_family
),

budget_months as (
    select
        year(month) as year,
        product_family,
        count(*) as months,
        sum(budget_units) as units,
        sum(budget_revenue) as revenue,
        sum(budget_cogs) as cogs,
        sum(case when month < $plan_month then budget_revenue end) as revenue_to_date,
        sum(case when month < $plan_month then budget_revenue - budget_cogs end) as margin_to_date
    from stg_financials
    where plan_month = $plan_month and year(month) in (select year from years)
    group by year(month), product_family
),

combined as (
    select
        year,
        product_family,
        coalesce(actual_months.units, 0) as actual_units,
        round(coalesce(actual_months.revenue, 0), 2) as actual_revenue,
        round(coalesce(actual_months.cogs, 0), 2) as actual_cogs,
        coalesce(plan_months.months, 0) as plan_months,
        coalesce(plan_months.units, 0) as plan_units,
        round(coalesce(plan_months.revenue, 0), 2) as plan_revenue,
        round(coalesce(plan_months.cogs, 0), 2) as plan_cogs,
        coalesce(budget_months.months, 0) as budget_months,
        coalesce(budget_months.units, 0) as budget_units,
        round(coalesce(budget_months.revenue, 0), 2) as budget_revenue,
        round(coalesce(budget_months.cogs, 0), 2) as budget_cogs,
        round(coalesce(budget_months.revenue_to_date, 0), 2) as budget_revenue_to_date,
        round(coalesce(budget_months.margin_to_date, 0), 2) as budget_margin_to_date
    from plan_months
    full outer join actual_months using (year, product_family)
    full outer join budget_months using (year, product_family)
),

levelled as (
    select
        case when grouping(product_family) = 0 then 'family' else 'total' end as level,
        product_family,
        year,
        -- On the total, a year counts as covered only as far as every family's is.
        min(plan_months) as plan_months,
        min(budget_months) as budget_months,
        round(sum(actual_revenue), 2) as actual_revenue_ytd,
        round(sum(budget_revenue_to_date), 2) as budget_revenue_ytd,
        round(sum(round(actual_revenue - actual_cogs, 2)), 2) as actual_margin_ytd,
        round(sum(budget_margin_to_date), 2) as budget_margin_ytd,
        sum(actual_units + plan_units) as outlook_units,
        round(sum(round(actual_revenue + plan_revenue, 2)), 2) as outlook_revenue,
        round(sum(round(actual_revenue + plan_revenue - actual_cogs - plan_cogs, 2)), 2) as outlook_margin,
        sum(budget_units) as budget_units,
        round(sum(budget_revenue), 2) as budget_revenue,
        round(sum(round(budget_revenue - budget_cogs, 2)), 2) as budget_margin
    from combined
    group by grouping sets ((year, product_family), (year))
),

final as (
    select
        $plan_month::date as plan_month,
        level::varchar as level,
        product_family::varchar as product_family,
        year::integer as year,
        plan_months::integer as plan_months,
        budget_months::integer as budget_months,
        actual_revenue_ytd::double as actual_revenue_ytd,
        budget_revenue_ytd::double as budget_revenue_ytd,
        round(actual_revenue_ytd - budget_revenue_ytd, 2)::double as variance_revenue_ytd,
        actual_margin_ytd::double as actual_margin_ytd,
        budget_margin_ytd::double as budget_margin_ytd,
        outlook_units::double as outlook_units,
        budget_units::double as budget_units,
        outlook_revenue::double as outlook_revenue,
        budget_revenue::double as budget_revenue,
        round(outlook_revenue - budget_revenue, 2)::double as gap_revenue,
        ((outlook_revenue - budget_revenue) / nullif(budget_revenue, 0))::double as gap_revenue_pct,
        outlook_margin::double as outlook_margin,
        budget_margin::double as budget_margin,
        round(outlook_margin - budget_margin, 2)::double as gap_margin,
        $scenario::varchar as scenario
    from levelled
)

select * from final
order by year, level, product_family
