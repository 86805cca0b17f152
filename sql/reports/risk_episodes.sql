-- risk_episodes: 5. Which risks, previously identified and new, must we consider? Per plan month, the
-- base plan's register one row per risk episode: a family's risk of one kind (and subject) over
-- consecutive months, with its months (for the kinds judged month by month; none otherwise), its peak
-- (the month furthest from its reference) and the action suggested for that month, the money at stake
-- and the open action of the meeting that answers it, if any. Recurring when an earlier plan month
-- raised it; `risk` is the kind in plain words (risk_kinds). Most severe first, then by first month.
-- Money at stake, in the company's currency (plan_settings.currency), revenue and gross margin: the
-- units at risk at the family's average price and margin per unit over the horizon (unit_values) (unmet demand; demand
-- above capacity, which a slip in the stock built ahead turns into unmet demand; the gap to safety stock;
-- the long horizon's gap to budget); a year's revenue and margin below budget; for excess stock, no
-- revenue and its cost as margin (what a write-off would take). None for the other kinds.
-- Grain: one row per plan_month x product_family x kind x subject x episode.
with months as (
    select
        register.*,
        abs(register.measure - coalesce(register.reference, 0)) as distance,
        case register.kind
            when 'unmet_demand' then plan.unmet_demand_units
            when 'capacity_overload' then greatest(plan.consensus_units - plan.capacity_units, 0)
            when 'below_safety_stock' then greatest(plan.safety_stock_units - plan.projected_inventory_units, 0)
            when 'long_horizon_gap' then abs(register.reference)
        end as units_at_stake,
        case
            when register.kind = 'revenue_below_budget' then -outlook.gap_revenue
            else units_at_stake * prices.unit_revenue
        end as revenue_at_stake,
        case
            when register.kind = 'revenue_below_budget' then -outlook.gap_margin
            when register.kind = 'excess_inventory' then plan.excess_inventory_units * prices.unit_cost
            else units_at_stake * prices.unit_margin
        end as margin_at_stake,
        -- Consecutive months share an island number (gaps and islands); a risk of no month stands alone.
        date_diff('month', register.plan_month, register.month)
        - row_number() over (
            partition by register.plan_month, register.product_family, register.kind, register.subject
            order by register.month
        ) as island
    from risk_register as register
    left join consolidated_plan as plan
        on plan.scenario = 'base'
        and plan.plan_month = register.plan_month
        and plan.product_family = register.product_family
        and plan.month = register.month
        and register.kind in ('unmet_demand', 'capacity_overload', 'below_safety_stock', 'excess_inventory')
    left join financial_outlook as outlook
        on outlook.scenario = 'base'
        and outlook.level = 'family'
        and outlook.plan_month = register.plan_month
        and outlook.product_family = register.product_family
        and register.kind = 'revenue_below_budget'
        and outlook.year = year(register.month)
    left join unit_values as prices
        on prices.plan_month = register.plan_month and prices.product_family = register.product_family
    where register.scenario = 'base'
),

episodes as (
    select
        plan_month,
        product_family,
        kind,
        subject,
        min(month) as first_month,
        max(month) as last_month,
        count(*) as rows,
        case
            when bool_or(severity = 'high') then 'high' when bool_or(severity = 'medium') then 'medium' else 'low'
        end as severity,
        min(first_seen_plan_month) as first_seen_plan_month,
        -- The peak is one month, the first of equal distances, whatever the order of the rows.
        first(month order by distance desc, month) as peak_month,
        first(measure order by distance desc, month) as peak_measure,
        first(reference order by distance desc, month) as peak_reference,
        first(period order by distance desc, month) as peak_period,
        first(suggested_action order by distance desc, month) as suggested_action,
        -- One action answers a family's kind in every month (risk_register.action_id).
        any_value(action_id) as action_id,
        any_value(action_owner) as action_owner,
        any_value(action_due_month) as action_due_month,
        round(sum(revenue_at_stake), 2) as revenue_at_stake,
        round(sum(margin_at_stake), 2) as margin_at_stake
    from months
    group by plan_month, product_family, kind, subject, coalesce(island, 0)
)

select
    episodes.plan_month,
    episodes.product_family,
    episodes.kind,
    risk_kinds.risk,
    episodes.subject,
    case
        when episodes.rows = 1 then episodes.peak_period
        else strftime(episodes.first_month, '%Y-%m') || ' to ' || strftime(episodes.last_month, '%Y-%m')
    end as period,
    case when risk_kinds.per_month then episodes.rows end as months,
    episodes.first_month,
    episodes.last_month,
    episodes.peak_month,
    episodes.peak_period,
    episodes.peak_measure,
    episodes.peak_reference,
    episodes.severity,
    case when episodes.first_seen_plan_month < episodes.plan_month then 'recurring' else 'new' end as status,
    episodes.first_seen_plan_month,
    episodes.suggested_action,
    episodes.revenue_at_stake,
    episodes.margin_at_stake,
    episodes.action_id,
    episodes.action_owner,
    episodes.action_due_month,
    row_number() over (
        partition by episodes.plan_month
        order by
            case episodes.severity when 'high' then 0 when 'medium' then 1 else 2 end,
            episodes.first_month nulls first,
            episodes.product_family,
            episodes.kind,
            episodes.subject
    ) as position
from episodes
inner join risk_kinds using (kind)
