-- meeting_risks: 5. Which risks, previously identified and new, must we consider? The rows of
-- risk_review for the newest plan month, in the order the pack shows them. Grain: that of risk_review.
select * exclude (position)
from risk_review
where plan_month = (select max(plan_month) from consolidated_plan)
order by position
