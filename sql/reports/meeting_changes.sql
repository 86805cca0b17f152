-- meeting_changes: 1. What has changed since last month? The rows of change_drivers for the newest
-- plan month, in the order the pack shows them. Grain: that of change_drivers.
select * exclude (position)
from change_drivers
where plan_month = (select max(plan_month) from consolidated_plan)
order by position
