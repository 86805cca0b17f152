"""When the monthly run starts by itself."""

from __future__ import annotations

from datetime import UTC, datetime

import dagster as dg

from pipelines.jobs import MONTHLY_JOB, monthly_sop_plan
from pipelines.partitions import plan_months
from pipelines.resources import SopStorage
from sop.core import month_label, parse_month
from sop.decisions import approval_in_force

# On the 3rd at 06:00 UTC the extracts of the month just closed are expected to be in place.
CRON = plan_months.get_cron_schedule(hour_of_day=6, day_of_month=3)


@dg.schedule(
    name=f"{MONTHLY_JOB}_schedule",
    job=monthly_sop_plan,
    cron_schedule=CRON,
    execution_timezone=plan_months.timezone,
    description=(
        "Requests the run of the newest plan month (the month of the tick: plan month M is planned during M"
        " from the extracts closed at the end of M-1), unless the meeting has approved it."
    ),
)
def monthly_schedule(context: dg.ScheduleEvaluationContext, storage: SopStorage) -> dg.RunRequest | dg.SkipReason:
    plan_month = parse_month((context.scheduled_execution_time or datetime.now(UTC)).date())
    approval = approval_in_force(storage.paths.warehouse, storage.paths.export_dir, plan_month)
    if approval is not None:
        return dg.SkipReason(approval.not_requested_notice())
    label = month_label(plan_month)
    return dg.RunRequest(partition_key=label, run_key=label)
