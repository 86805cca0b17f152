-- meeting_follow_through: 2. How are we executing against performance metrics? The rows of
-- follow_through for the newest plan month. Grain: that of follow_through.
select * exclude (position)
from follow_through
where plan_month = (select max(plan_month) from consolidated_plan)
order by position
