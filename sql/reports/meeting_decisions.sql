-- meeting_decisions: 6. Which decisions must be made now, and later? The rows of decisions for the
-- newest plan month, in the order the pack shows them. Grain: that of decisions.
select * exclude (position)
from decisions
where plan_month = (select max(plan_month) from consolidated_plan)
order by position
