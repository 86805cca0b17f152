-- int_month_risks: the risks of each month of the plan, judged by the rules and thresholds of the
-- risk register (RiskConfig) on the consensus demand; the plan keeps them as its risk_flags and the
-- register takes its monthly risks from there. Grain: one row per product_family x month of the horizon.
with thresholds as (
    -- A family's own thresholds (RiskConfig.families) over the defaults.
    select
        months.*,
        coalesce(own.unmet_tolerance_units, $unmet_tolerance_units) as unmet_tolerance_units,
        coalesce(own.unmet_tolerance_share, $unmet_tolerance_share) as unmet_tolerance_share,
        coalesce(own.excess_days_of_supply, $excess_days) as excess_days
    from int_planned_months as months
    left join family_thresholds as own using (product_family)
),

stock_needs as (
    -- Stock a later month will draw on: the most that demand tops capacity over any run of the
    -- months after this one. Stock beyond it and safety stock is excess, whatever built it.
    select
        *,
        sum(consensus_units - capacity_units) over (partition by product_family order by month) as shortfall_to_date
    from thresholds
),

judged as (
    select
        *,
        projected_inventory_units - safety_stock_units - greatest(
            0,
            coalesce(
                max(shortfall_to_date) over (
                    partition by product_family order by month rows between 1 following and unbounded following
                ),
                shortfall_to_date
            ) - shortfall_to_date
        ) as excess_inventory_units,
        unmet_demand_units > greatest(unmet_tolerance_units, unmet_tolerance_share * consensus_units) as falls_short
    from stock_needs
),

flagged as (
    -- The month's risks, by the rules and thresholds of the risk register (RiskConfig), which takes its
    -- monthly risks from these flags. Where demand goes unmet, that risk says it all.
    select
        *,
        list_filter(
            list_value(
                case when falls_short then 'unmet_demand' end,
                case when consensus_units > capacity_units and not falls_short then 'capacity_overload' end,
                case
                    when projected_inventory_units < safety_stock_units - unmet_tolerance_units and not falls_short
                        then 'below_safety_stock'
                end,
                case
                    when excess_inventory_units > unmet_tolerance_units
                        and (
                            consensus_units <= 0
                            or excess_inventory_units / (consensus_units / day(last_day(month))) > excess_days
                        )
                        then 'excess_inventory'
                end
            ),
            lambda flag: flag is not null
        ) as risk_flags
    from judged
)

select product_family, month, excess_inventory_units, risk_flags
from flagged
