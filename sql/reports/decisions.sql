-- decisions: 6. Which decisions must be made now, and later? Per plan month, the base plan's high and
-- medium risk episodes (risk_episodes) that no open action of the meeting answers. "now" when the
-- episode starts within the near term (plan_settings.near_term_months; a year's revenue gap from its
-- January, data quality and risks of no month at once), "later" beyond that and for the long horizon.
-- `owner`: for an overdue action, its own owner; for changes that made the forecast worse, the owners of
-- the source's changes (forecast_value_added, lag 1); else the family's owner of the settings
-- (ReportConfig.family_owners), else the owner of the family's latest action in the action log; null
-- when none is known. `decide_by`: the month before the episode starts (stock and capacity take a month
-- to move), and never before the plan month. `options`: the meeting's choices for the kind of risk
-- (risk_kinds), beside the episode's suggested action.
-- Grain: one row per plan_month x product_family x kind x subject x episode.
with latest_owners as (
    select plan_month, product_family, first(owner order by decided_month desc, action_id desc) as owner
    from action_log
    group by plan_month, product_family
),

decisions as (
    select
        episodes.plan_month,
        case
            when
                episodes.kind = 'long_horizon_gap'
                or episodes.first_month >= episodes.plan_month + to_months(plan_settings.near_term_months)
                then 'later'
            else 'now'
        end as decide,
        episodes.* exclude (plan_month, action_id, action_owner, action_due_month, position),
        coalesce(
            overdue.owner,
            source.owners,
            json_extract_string(
                plan_settings.settings_values, '$.report.family_owners."' || episodes.product_family || '"'
            ),
            latest_owners.owner
        ) as owner,
        risk_kinds.options,
        greatest(episodes.plan_month, coalesce(episodes.first_month - interval 1 month, episodes.plan_month))::date
            as decide_by
    from risk_episodes as episodes
    inner join plan_settings using (plan_month)
    inner join risk_kinds using (kind)
    left join action_log as overdue
        on overdue.plan_month = episodes.plan_month
        and episodes.kind = 'overdue_action'
        and starts_with(episodes.subject, overdue.action_id || ' ')
    left join forecast_value_added as source
        on source.plan_month = episodes.plan_month
        and episodes.kind = 'adjustment_hurts_accuracy'
        and source.level = 'family'
        and source.lag = 1
        and source.product_family = episodes.product_family
        and source.step = episodes.subject
    left join latest_owners
        on latest_owners.plan_month = episodes.plan_month and latest_owners.product_family = episodes.product_family
    where episodes.severity in ('high', 'medium') and episodes.action_id is null
)

select
    *,
    row_number() over (
        partition by plan_month
        order by decide desc, case severity when 'high' then 0 else 1 end, first_month nulls first, product_family, kind, subject
    ) as position
from decisions
