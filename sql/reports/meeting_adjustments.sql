-- meeting_adjustments: 1. What has changed since last month? The rows of review_adjustments for the
-- newest plan month, largest first. Grain: that of review_adjustments.
select * exclude (position)
from review_adjustments
where plan_month = (select max(plan_month) from consolidated_plan)
order by position
