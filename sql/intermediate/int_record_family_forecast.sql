-- int_record_family_forecast: each plan month's family_forecast of record (int_plan_records), whose
-- intervals later months judge.
select * from family_forecast where plan_month not in (select plan_month from int_plan_records)
union all by name
select * exclude (approval) from approved.family_forecast semi join int_plan_records using (plan_month, approval)
