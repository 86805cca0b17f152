"""When a month's extracts arrive: a sensor that requests the run of each newly settled folder."""

from __future__ import annotations

import time

import dagster as dg
from dagster._core.storage.tags import RUN_KEY_TAG

from pipelines.jobs import monthly_sop_plan
from pipelines.partitions import plan_months
from pipelines.resources import SopStorage
from sop.core import month_label, parse_month
from sop.decisions import approvals_in_force
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
    # The run key makes Dagster request each version of a folder once: only new versions are looked at.
    new = {
        parse_month(month.month): f"{month.month}:{month.fingerprint}"
        for month in arrived
        if month.month in known and not _requested(context, f"{month.month}:{month.fingerprint}")
    }
    approved = approvals_in_force(storage.paths.warehouse, storage.paths.export_dir, list(new))
    # No run key is spent on an approved month: once it is reopened, its folder is requested as it is then.
    requests = [
        dg.RunRequest(partition_key=month_label(month), run_key=key)
        for month, key in new.items()
        if month not in approved
    ]
    notices = [approval.not_requested_notice() for approval in approved.values()]
    for notice in notices:
        context.log.info(notice)
    return dg.SensorResult(run_requests=requests, skip_reason=" ".join(notices) if notices and not requests else None)


def _requested(context: dg.SensorEvaluationContext, run_key: str) -> bool:
    filters = dg.RunsFilter(tags={RUN_KEY_TAG: run_key})
    return context.instance is not None and bool(context.instance.get_run_ids(filters=filters, limit=1))
