-- consolidated_plan: demand vs capacity vs inventory vs budget, reconciled per family and month, in
-- the base plan or a scenario (sop/plan/scenarios.py: factors on demand, capacity and price).
-- Grain: one row per plan_month x scenario x product_family x month of the horizon.
-- Reads int_sku_value (a temporary table of the step) and two frames from Python: supply_plan
-- (product_family, month, capacity_units, safety_stock_units, supply_units, shipped_units,
-- projected_inventory_units, prebuild_units, supply_method: the LP of sop/plan/supply.py on
-- int_supply_inputs) and risk_flag_severity (flag, severity, severity_rank: the configuration).
with scenario_forecast as (
    select
        *,
        case
            when $demand_family::varchar is null or product_family = $demand_family then $demand_factor else 1
        end as demand_factor
    from draft_sku_forecast
    where plan_month = $plan_month
),

forecast as (
    select
        * exclude (demand_factor) replace (
            forecast_units * demand_factor as forecast_units,
            forecast_lo_80 * demand_factor as forecast_lo_80,
            forecast_hi_80 * demand_factor as forecast_hi_80
        )
    from scenario_forecast
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
    -- The family interval treats sku x region errors as independent: each sku's 80% half-width
    -- gives its standard deviation (z = 1.2816), and variances add.
    select
        scenario_value.product_family,
        forecast.month,
        sum(forecast.forecast_units) as forecast_units,
        sqrt(sum(power((forecast.forecast_hi_80 - forecast.forecast_lo_80) / (2 * 1.2815515655446004), 2)))
            as forecast_sd,
        sum(forecast.forecast_units * scenario_value.unit_price) as demand_revenue,
        sum(forecast.forecast_units * scenario_value.unit_cost) as demand_cogs
    from forecast
    inner join scenario_value using (sku)
    group by scenario_value.product_family, forecast.month
),

family_budget as (
    select product_family, month, budget_units, budget_revenue
    from stg_financials
    where plan_month = $plan_month
),

previous_plan as (
    -- Last month's base plan; none before the first month.
    select product_family, month, forecast_units as prev_plan_units
    from consolidated_plan
    where plan_month = $previous_plan_month and scenario = 'base'
),

family_accuracy as (
    -- Each family's forecast accuracy over the trailing months (sql/marts/forecast_accuracy_summary.sql);
    -- none before forecasts can be judged.
    select
        product_family,
        any_value(wape) filter (where lag = 1) as recent_wape_lag1,
        any_value(bias) filter (where lag = 1) as recent_bias_lag1,
        any_value(wape) filter (where lag = 3) as recent_wape_lag3,
        any_value(bias) filter (where lag = 3) as recent_bias_lag3
    from draft_forecast_accuracy_summary
    where plan_month = $plan_month and level = 'family'
    group by product_family
),

planned as (
    select family_demand.*, supply_plan.* exclude (product_family, month)
    from family_demand
    inner join supply_plan using (product_family, month)
),

valued as (
    -- Money follows what is shipped, at the family's demand-weighted price and cost.
    select
        planned.*,
        forecast_units - shipped_units as unmet_demand_units,
        shipped_units * coalesce(demand_revenue / nullif(forecast_units, 0), 0) as plan_revenue,
        shipped_units * coalesce(demand_cogs / nullif(forecast_units, 0), 0) as plan_cogs,
        family_budget.budget_units,
        family_budget.budget_revenue,
        previous_plan.prev_plan_units
    from planned
    left join family_budget using (product_family, month)
    left join previous_plan using (product_family, month)
),

flagged as (
    select
        *,
        plan_revenue - budget_revenue as variance_revenue,
        list_filter(
            list_value(
                case when forecast_units > capacity_units then 'capacity_overload' end,
                case when unmet_demand_units > 1e-6 then 'stockout_risk' end,
                case when projected_inventory_units < safety_stock_units then 'below_safety_stock' end,
                case
                    when (plan_revenue - budget_revenue) / nullif(budget_revenue, 0) <= $revenue_below_budget_pct
                        then 'revenue_below_budget'
                end
            ),
            lambda flag: flag is not null
        ) as risk_flags
    from valued
),

risk_levels as (
    select flags.product_family, flags.month, arg_max(severity.severity, severity.severity_rank) as risk_level
    from (select product_family, month, unnest(risk_flags) as flag from flagged) as flags
    inner join risk_flag_severity as severity using (flag)
    group by flags.product_family, flags.month
),

final as (
    select
        $plan_month::date as plan_month,
        flagged.product_family::varchar as product_family,
        flagged.month::date as month,
        forecast_units::double as forecast_units,
        greatest(0, forecast_units - 1.2815515655446004 * forecast_sd)::double as forecast_lo_80,
        (forecast_units + 1.2815515655446004 * forecast_sd)::double as forecast_hi_80,
        capacity_units::double as capacity_units,
        supply_units::double as supply_units,
        unmet_demand_units::double as unmet_demand_units,
        (supply_units / nullif(capacity_units, 0))::double as capacity_utilization,
        projected_inventory_units::double as projected_inventory_units,
        safety_stock_units::double as safety_stock_units,
        (projected_inventory_units / nullif(forecast_units / day(last_day(flagged.month)), 0))::double
            as days_of_supply,
        plan_revenue::double as plan_revenue,
        plan_cogs::double as plan_cogs,
        (plan_revenue - plan_cogs)::double as plan_gross_margin,
        budget_units::double as budget_units,
        budget_revenue::double as budget_revenue,
        (forecast_units - budget_units)::double as variance_units,
        variance_revenue::double as variance_revenue,
        (variance_revenue / nullif(budget_revenue, 0))::double as variance_revenue_pct,
        prev_plan_units::double as prev_plan_units,
        (forecast_units - prev_plan_units)::double as change_vs_prev_plan_units,
        risk_flags::varchar[] as risk_flags,
        coalesce(risk_levels.risk_level, 'none')::varchar as risk_level,
        family_accuracy.recent_wape_lag1::double as recent_wape_lag1,
        family_accuracy.recent_bias_lag1::double as recent_bias_lag1,
        family_accuracy.recent_wape_lag3::double as recent_wape_lag3,
        family_accuracy.recent_bias_lag3::double as recent_bias_lag3,
        prebuild_units::double as prebuild_units,
        supply_method::varchar as supply_method,
        $scenario::varchar as scenario,
        $scenario_description::varchar as scenario_description
    from flagged
    left join risk_levels using (product_family, month)
    left join family_accuracy using (product_family)
)

select * from final
order by product_family, month
