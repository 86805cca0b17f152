-- meeting_family_performance: 3. How are the product families performing? The rows of
-- family_performance for the newest plan month, in the order the pack shows them. Grain:
-- family_performance's.
select * exclude (position)
from family_performance
where plan_month = (select max(plan_month) from consolidated_plan)
order by position
