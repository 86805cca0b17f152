-- meeting_risks: 5. Which risks, previously identified and new, must we consider? The rows of
-- risk_episodes for the newest plan month (one per risk episode), in the order the pack shows them.
-- Grain: that of risk_episodes; risk_review keeps one row per risk and month.
select * exclude (position)
from risk_episodes
where plan_month = (select max(plan_month) from consolidated_plan)
order by position
