-- meeting_financials: 3 and 4. Are we on plan financially? The rows of financial_review for the newest plan
-- month, in the order the pack shows them. Grain: that of financial_review.
select * exclude (position)
from financial_review
where plan_month = (select max(plan_month) from consolidated_plan)
order by position
