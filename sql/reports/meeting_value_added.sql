-- meeting_value_added: 2. How are we executing against performance metrics? The rows of value_added for
-- the newest plan month, in the order the pack shows them. Grain: that of value_added.
select * exclude (position)
from value_added
where plan_month = (select max(plan_month) from consolidated_plan)
order by position
