-- meeting_actions: 10. What are the follow-up actions? The open actions of the newest plan month, overdue
-- first, in the order the pack shows them. Grain: that of open_actions.
select * exclude (position)
from open_actions
where plan_month = (select max(plan_month) from consolidated_plan)
order by position
