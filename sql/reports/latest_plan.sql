-- latest_plan: the consolidated plan of the most recent plan month, for analysts.
-- Grain: one row per product_family x month of the horizon.
select *
from consolidated_plan
where plan_month = (select max(plan_month) from consolidated_plan) and scenario = 'base'
