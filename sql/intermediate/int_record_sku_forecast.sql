-- int_record_sku_forecast: each plan month's sku_forecast of record (int_plan_records), as later months judge it.
select * from sku_forecast where plan_month not in (select plan_month from int_plan_records)
union all by name
select * exclude (approval) from approved.sku_forecast semi join int_plan_records using (plan_month, approval)
