-- plan_changes: what changed since last month's plan, for the months both plans cover, and why
-- (base plans: scenarios are what-ifs of one month, not versions of the plan).
-- Grain: one row per plan_month x product_family x month (in this plan and the one before).
-- The change in plan revenue splits exactly into a demand effect (the change in the plan's demand,
-- the consensus, at last month's price), a supply effect (change in unmet demand at last month's price, negative when more goes
-- unmet) and a price effect (this month's shipments at the change in price). The change in the
-- variance to budget adds the budget effect (minus the change in budget revenue; null, like the
-- variance itself, where either plan had no budget for the month):
--   change_plan_revenue = demand_effect + supply_effect + price_effect
--   change_variance_revenue = change_plan_revenue + budget_effect
-- Money is in cents, and the sums hold to the cent: the demand and supply effects are rounded, and
-- the price effect is the rest of the change (which also takes the effects' rounding). A difference
-- of amounts in cents is rounded again, as floating point leaves it a hair off the cent.
with this_plan as (
    select * from draft.consolidated_plan where plan_month = $plan_month and scenario = 'base'
),

last_plan as (
    -- Last month's plan of record: the version its meeting approved, else the published one.
    select * from int_record_consolidated_plan where plan_month = $previous_plan_month and scenario = 'base'
),

paired as (
    select
        this_plan.product_family,
        this_plan.month,
        last_plan.forecast_units as prev_forecast_units,
        this_plan.forecast_units,
        -- A plan from before the demand review: its demand was its forecast.
        coalesce(last_plan.consensus_units, last_plan.forecast_units) as prev_consensus_units,
        this_plan.consensus_units,
        last_plan.unmet_demand_units as prev_unmet_demand_units,
        this_plan.unmet_demand_units,
        coalesce(last_plan.consensus_units, last_plan.forecast_units) - last_plan.unmet_demand_units
            as prev_shipped_units,
        this_plan.consensus_units - this_plan.unmet_demand_units as shipped_units,
        -- A plan published before its money was in cents: to the cent like this one.
        round(last_plan.plan_revenue, 2) as prev_plan_revenue,
        this_plan.plan_revenue,
        round(last_plan.budget_revenue, 2) as prev_budget_revenue,
        this_plan.budget_revenue
    from this_plan
    inner join last_plan using (product_family, month)
),

priced as (
    -- Price per shipped unit; a plan that ships nothing in a month takes the other plan's price.
    select
        *,
        coalesce(
            prev_plan_revenue / nullif(prev_shipped_units, 0), plan_revenue / nullif(shipped_units, 0), 0
        ) as prev_unit_price,
        coalesce(
            plan_revenue / nullif(shipped_units, 0), prev_plan_revenue / nullif(prev_shipped_units, 0), 0
        ) as unit_price
    from paired
),

effects as (
    select
        *,
        round(plan_revenue - prev_plan_revenue, 2) as change_plan_revenue,
        round((consensus_units - prev_consensus_units) * prev_unit_price, 2) as demand_effect,
        round(-(unmet_demand_units - prev_unmet_demand_units) * prev_unit_price, 2) as supply_effect,
        round(prev_budget_revenue - budget_revenue, 2) as budget_effect
    from priced
),

final as (
    select
        $plan_month::date as plan_month,
        product_family::varchar as product_family,
        month::date as month,
        $previous_plan_month::date as prev_plan_month,
        prev_forecast_units::double as prev_forecast_units,
        forecast_units::double as forecast_units,
        (forecast_units - prev_forecast_units)::double as change_forecast_units,
        (unmet_demand_units - prev_unmet_demand_units)::double as change_unmet_demand_units,
        prev_plan_revenue::double as prev_plan_revenue,
        plan_revenue::double as plan_revenue,
        change_plan_revenue::double as change_plan_revenue,
        demand_effect::double as demand_effect,
        supply_effect::double as supply_effect,
        -- shipped_units * (unit_price - prev_unit_price), but to the cent.
        round(change_plan_revenue - demand_effect - supply_effect, 2)::double as price_effect,
        budget_effect::double as budget_effect,
        round(change_plan_revenue + budget_effect, 2)::double as change_variance_revenue,
        prev_consensus_units::double as prev_consensus_units,
        consensus_units::double as consensus_units,
        (consensus_units - prev_consensus_units)::double as change_consensus_units,
        -- What the demand review changed beyond the statistical forecast's own change.
        ((consensus_units - prev_consensus_units) - (forecast_units - prev_forecast_units))::double
            as change_adjustment_units
    from effects
)

select * from final
order by product_family, month
