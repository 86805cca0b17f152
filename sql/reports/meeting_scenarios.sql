-- meeting_scenarios: What if? The scenarios against the base plan. The rows of scenario_comparison for
-- the newest plan month, in the order the pack shows them. Grain: that of scenario_comparison.
select * exclude (position)
from scenario_comparison
where plan_month = (select max(plan_month) from consolidated_plan)
order by position
