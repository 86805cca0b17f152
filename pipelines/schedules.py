"""When the monthly run starts by itself."""

from __future__ import annotations

import dagster as dg

from pipelines.jobs import monthly_sop_plan

# On the 3rd at 06:00 UTC the extracts of the month just closed are expected to be in place;
# the schedule requests the newest plan month (the current one, see `plan_months`).
monthly_schedule = dg.build_schedule_from_partitioned_job(monthly_sop_plan, day_of_month=3, hour_of_day=6)
