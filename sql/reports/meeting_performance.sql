-- meeting_performance: 2. How are we executing against performance metrics? The rows of
-- forecast_performance for the newest plan month, in the order the pack shows them. Grain:
-- forecast_performance's.
select * exclude (position)
from forecast_performance
where plan_month = (select max(plan_month) from consolidated_plan)
order by position
