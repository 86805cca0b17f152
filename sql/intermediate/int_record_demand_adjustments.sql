-- int_record_demand_adjustments: each plan month's demand_adjustments of record (int_plan_records), as later months judge it.
select * from demand_adjustments where plan_month not in (select plan_month from int_plan_records)
union all by name
select * exclude (approval) from approved.demand_adjustments semi join int_plan_records using (plan_month, approval)
