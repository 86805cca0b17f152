-- int_record_sku_forecast: each plan month's sku_forecast of record, as later months judge it: the version the
-- meeting approved where it approved the month (its newest approval, still after a reopening), else
-- the published one.
with records as (
    select plan_month, max(approval) as approval
    from plan_approvals
    where event = 'approved'
    group by plan_month
)

select *
from sku_forecast
where plan_month not in (select plan_month from records)
union all by name
select approved_version.* exclude (approval)
from approved.sku_forecast as approved_version
semi join records using (plan_month, approval)
