-- int_plan_records: which version of an approved plan month is its plan of record, for the int_record_*
-- models: its newest approval, still after a reopening. A month never approved is not here: its
-- published version is its plan of record.
-- Grain: one row per approved plan month.
select plan_month, max(approval) as approval
from plan_approvals
where event = 'approved'
group by plan_month
