-- consolidated_plan: demand vs capacity vs inventory vs budget, reconciled per family and month, in
-- the base plan or a scenario (sop/plan/scenarios.py: factors on demand, capacity and price).
-- Grain: one row per plan_month x scenario x product_family x month of the horizon.
-- The plan runs on the consensus demand (demand_plan): supply, unmet demand, stock, money, the
-- variances and the risks follow it; forecast_units and its interval stay the statistical forecast.
-- Reads the step's intermediate tables int_planned_months (the numbers) and int_month_risks (the
-- risks), and the frame risk_flag_severity (flag, severity, severity_rank: RiskConfig.severity).
with previous_plan as (
    -- Last month's base plan (its consensus; a plan from before the demand review, its forecast);
    -- none before the first month.
    select product_family, month, coalesce(consensus_units, forecast_units) as prev_plan_units
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
    from draft.forecast_accuracy_summary
    where plan_month = $plan_month and level = 'family'
    group by product_family
),

months as (
    select
        int_planned_months.*,
        -- Money is in cents (int_planned_months); a difference of two amounts in cents is rounded
        -- again, as floating point leaves it a hair off the cent.
        round(plan_revenue - budget_revenue, 2) as variance_revenue,
        previous_plan.prev_plan_units,
        int_month_risks.excess_inventory_units,
        int_month_risks.risk_flags
    from int_planned_months
    inner join int_month_risks using (product_family, month)
    left join previous_plan using (product_family, month)
),

risk_levels as (
    select flags.product_family, flags.month, arg_max(severity.severity, severity.severity_rank) as risk_level
    from (select product_family, month, unnest(risk_flags) as flag from months) as flags
    inner join risk_flag_severity as severity using (flag)
    group by flags.product_family, flags.month
),

final as (
    select
        $plan_month::date as plan_month,
        months.product_family::varchar as product_family,
        months.month::date as month,
        forecast_units::double as forecast_units,
        forecast_lo_80::double as forecast_lo_80,
        forecast_hi_80::double as forecast_hi_80,
        capacity_units::double as capacity_units,
        supply_units::double as supply_units,
        unmet_demand_units::double as unmet_demand_units,
        (supply_units / nullif(capacity_units, 0))::double as capacity_utilization,
        projected_inventory_units::double as projected_inventory_units,
        safety_stock_units::double as safety_stock_units,
        (projected_inventory_units / nullif(consensus_units / day(last_day(months.month)), 0))::double
            as days_of_supply,
        plan_revenue::double as plan_revenue,
        plan_cogs::double as plan_cogs,
        round(plan_revenue - plan_cogs, 2)::double as plan_gross_margin,
        budget_units::double as budget_units,
        budget_revenue::double as budget_revenue,
        (consensus_units - budget_units)::double as variance_units,
        variance_revenue::double as variance_revenue,
        (variance_revenue / nullif(budget_revenue, 0))::double as variance_revenue_pct,
        prev_plan_units::double as prev_plan_units,
        (consensus_units - prev_plan_units)::double as change_vs_prev_plan_units,
        risk_flags::varchar[] as risk_flags,
        coalesce(risk_levels.risk_level, 'none')::varchar as risk_level,
        family_accuracy.recent_wape_lag1::double as recent_wape_lag1,
        family_accuracy.recent_bias_lag1::double as recent_bias_lag1,
        family_accuracy.recent_wape_lag3::double as recent_wape_lag3,
        family_accuracy.recent_bias_lag3::double as recent_bias_lag3,
        prebuild_units::double as prebuild_units,
        supply_method::varchar as supply_method,
        $scenario::varchar as scenario,
        $scenario_description::varchar as scenario_description,
        excess_inventory_units::double as excess_inventory_units,
        consensus_units::double as consensus_units,
        (consensus_units - forecast_units)::double as adjustment_units,
        -- The consensus interval: the statistical one shifted by the adjustment.
        greatest(0, forecast_lo_80 + (consensus_units - forecast_units))::double as consensus_lo_80,
        (forecast_hi_80 + (consensus_units - forecast_units))::double as consensus_hi_80
    from months
    left join risk_levels using (product_family, month)
    left join family_accuracy using (product_family)
)

select * from final
order by product_family, month
