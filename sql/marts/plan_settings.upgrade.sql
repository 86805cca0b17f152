-- plan_settings of the months published before the table existed: the values the reports had
-- fixed then (the long term from month 13, a near term of three months), so that an upgraded
-- warehouse keeps reporting its earlier months as they were reported.
insert into plan_settings (plan_month, long_horizon_from, near_term_months)
select distinct plan_month, 13 as long_horizon_from, 3 as near_term_months
from consolidated_plan
where plan_month not in (select plan_month from plan_settings)
