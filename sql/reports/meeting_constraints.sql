-- meeting_constraints: 8. Do we have critical constraints? The constrained rows of constraints for the
-- newest plan month, in the order the pack shows them. Grain: that of constraints.
select * exclude (position)
from constraints
where plan_month = (select max(plan_month) from consolidated_plan) and constrained
order by position
