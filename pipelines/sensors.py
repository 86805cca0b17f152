"""When a month's extracts arrive: a sensor that requests the run of each newly settled folder."""

from __future__ import annotations

import time

import dagster as dg

from pipelines.jobs import monthly_sop_plan
from pipelines.partitions import plan_months
from pipelines.resources import SopStorage
from sop.core import parse_month
from sop.decisions import approval_in_force
from sop.intake import settled_months

QUIET_SECONDS = 120
"""A folder whose files have not changed for this long is taken as fully written."""


@dg.sensor(
    job=monthly_sop_plan,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.STOPPED,
    description=(
        "Requests the monthly run of a plan month when its folder holds all four extracts and none has"
        f" changed for {QUIET_SECONDS} s; a changed file asks for a new run of that month. An approved month"
        " is not requested (the tick says so) until it is reopened."
    ),
)
def extract_arrival(context: dg.SensorEvaluationContext, storage: SopStorage) -> dg.SensorResult:
    known = set(plan_months.get_partition_keys())
    arrived = settled_months(storage.paths.extracts_dir, time.time(), QUIET_SECONDS)
    if before := sorted(month.month for month in arrived if month.month not in known):
        # The months start where the extracts started when the definitions loaded.
        context.log.warning(
            f"Not requested, before the first plan month {min(known)}: {', '.join(before)}."
            " Reload the definitions (or set [plan] first_plan_month) to plan them."
        )
    requests, approved = [], []
    for month in (month for month in arrived if month.month in known):
        approval = approval_in_force(storage.paths.warehouse, storage.paths.export_dir, parse_month(month.month))
        if approval is not None:
            # No run key is spent: once the month is reopened, its folder is requested as it is then.
            approved.append(approval.not_requested_notice())
        else:
            # The run key makes Dagster request each version of a folder once.
            requests.append(dg.RunRequest(partition_key=month.month, run_key=f"{month.month}:{month.fingerprint}"))
    for notice in approved:
        context.log.info(notice)
    skipped = " ".join(approved) if approved and not requests else None
    return dg.SensorResult(run_requests=requests, skip_reason=skipped)
