-- int_planned_months: the plan's numbers per family and month, before its risks are judged
-- (int_month_risks) and it is assembled (sql/marts/consolidated_plan.sql), in the base plan or a
-- scenario (sop/plan/scenarios.py: factors on demand and price; capacity is in the supply plan).
-- Demand is the consensus (demand_plan); forecast_units and its interval stay the statistical ones:
-- the family's own interval (family_forecast), scaled as its demand is in a scenario.
-- Grain: one row per product_family x month of the horizon. Reads int_sku_value and the frame
-- supply_plan (product_family, month, demand_units, capacity_units, safety_stock_units, supply_units,
-- shipped_units, projected_inventory_units, prebuild_units, supply_method: the LP of sop/plan/supply.py
-- on int_supply_inputs). Money is rounded to the cent here, where it is made.
with scenario_forecast as (
    select
        statistical.sku,
        statistical.product_family,
        statistical.month,
        statistical.forecast_units,
        consensus.consensus_units,
        case
            when $demand_family::varchar is null or statistical.product_family = $demand_family then $demand_factor
            else 1
        end as demand_factor
    from draft.sku_forecast as statistical
    inner join draft.demand_plan as consensus using (plan_month, sku, region, month)
    where statistical.plan_month = $plan_month
),

forecast as (
    select
        * exclude (demand_factor) replace (
            forecast_units * demand_factor as forecast_units,
            consensus_units * demand_factor as consensus_units
        )
    from scenario_forecast
),

scenario_family_interval as (
    select
        product_family,
        month,
        forecast_lo_80,
        forecast_hi_80,
        case when $demand_family::varchar is null or product_family = $demand_family then $demand_factor else 1 end
            as demand_factor
    from draft.family_forecast
    where plan_month = $plan_month
),

family_interval as (
    -- The family's interval comes from the errors of its own total (sop/forecast/family_intervals.py):
    -- its skus' errors move together, so adding their variances would make it too narrow.
    select
        product_family,
        month,
        forecast_lo_80 * demand_factor as forecast_lo_80,
        forecast_hi_80 * demand_factor as forecast_hi_80
    from scenario_family_interval
),

scenario_value as (
    select
        * replace (
            unit_price * (
                case when $price_family::varchar is null or product_family = $price_family then $price_factor else 1 end
            ) as unit_price
        )
    from int_sku_value
),

family_demand as (
    select
        scenario_value.product_family,
        forecast.month,
        sum(forecast.forecast_units) as forecast_units,
        sum(forecast.consensus_units) as consensus_units,
        sum(forecast.consensus_units * scenario_value.unit_price) as demand_revenue,
        sum(forecast.consensus_units * scenario_value.unit_cost) as demand_cogs
    from forecast
    inner join scenario_value using (sku)
    group by scenario_value.product_family, forecast.month
),

family_budget as (
    select product_family, month, budget_units, round(budget_revenue, 2) as budget_revenue
    from stg_financials
    where plan_month = $plan_month
),

planned as (
    select
        family_demand.*,
        family_interval.* exclude (product_family, month),
        supply_plan.* exclude (product_family, month)
    from family_demand
    left join family_interval using (product_family, month)
    inner join supply_plan using (product_family, month)
),

valued as (
    -- Unmet demand is what the supply plan could not ship of the demand it planned (the consensus,
    -- summed as int_supply_inputs sums it): exactly 0 where all of it ships (sop/plan/supply.py), and
    -- never above consensus_units, which scales each sku before summing where a scenario scales demand
    -- (so that the two differ in the last digit where nothing ships: a family without capacity).
    -- Money follows what is shipped, at the family's demand-weighted price and cost, to the cent.
    select
        planned.*,
        least(demand_units - shipped_units, consensus_units) as unmet_demand_units,
        round(shipped_units * coalesce(demand_revenue / nullif(consensus_units, 0), 0), 2) as plan_revenue,
        round(shipped_units * coalesce(demand_cogs / nullif(consensus_units, 0), 0), 2) as plan_cogs,
        family_budget.budget_units,
        family_budget.budget_revenue
    from planned
    left join family_budget using (product_family, month)
)

select * from valued
