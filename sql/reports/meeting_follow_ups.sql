-- meeting_follow_ups: 10. What are the follow-up actions? The rows of follow_ups for the newest plan
-- month, in the order the pack shows them. Grain: that of follow_ups.
select * exclude (position)
from follow_ups
where plan_month = (select max(plan_month) from consolidated_plan)
order by position
