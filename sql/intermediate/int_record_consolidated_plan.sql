-- int_record_consolidated_plan: each plan month's consolidated_plan of record (int_plan_records), as later months judge it.
select * from consolidated_plan where plan_month not in (select plan_month from int_plan_records)
union all by name
select * exclude (approval) from approved.consolidated_plan semi join int_plan_records using (plan_month, approval)
