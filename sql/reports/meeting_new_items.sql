-- meeting_new_items: 7. Are we on track with new products? The rows of new_items for the newest plan
-- month, in the order the pack shows them. Grain: that of new_items.
select * exclude (position)
from new_items
where plan_month = (select max(plan_month) from consolidated_plan)
order by position
