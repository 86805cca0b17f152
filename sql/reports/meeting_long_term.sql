-- meeting_long_term: 9. Does the long-term plan need revising? The rows of long_term for the newest
-- plan month, in the order the pack shows them. Grain: that of long_term.
select * exclude (position)
from long_term
where plan_month = (select max(plan_month) from consolidated_plan)
order by position
