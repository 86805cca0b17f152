"""The plan of record from Dagster: jobs that approve a month's published plan, or reopen it.

`sop-run approve` and `sop-run reopen` run these same jobs, so every approval shows in the instance's
run history beside the runs it froze. Each holds its month as a run does, and stops at once when a run
is planning the month (`pipelines.month_hold`); it takes no pool slot first, which would make it wait
for that run's step only to stop then. Its connection waits for the warehouse like any step's.
"""

import getpass
from collections.abc import Iterator
from contextlib import contextmanager

import dagster as dg
from pydantic import Field

from pipelines.month_hold import month_taken_or_refused
from pipelines.resources import SopStorage
from sop.core import parse_month
from sop.decisions import PlanOfRecordError, approve_plan, reopen_plan

APPROVE_JOB = "approve_plan"
REOPEN_JOB = "reopen_plan"


class ApprovalConfig(dg.Config):
    month: str = Field(description="The plan month to approve, YYYY-MM: its published plan becomes the plan of record.")
    by: str = Field(description="Who approves it (the executive meeting's chair, say).")
    note: str = Field(default="", description="What the meeting said with its approval.")


class ReopeningConfig(dg.Config):
    month: str = Field(description="The approved plan month to reopen, YYYY-MM.")
    reason: str = Field(description="Why it is planned again; recorded with the reopening.")
    by: str = Field(default="", description="Who reopens it (default: the login name of the process).")


@dg.op
def approve_month(context: dg.OpExecutionContext, config: ApprovalConfig, storage: SopStorage) -> None:
    """Approves the month's published plan: records who, when, the note and the month's fingerprint, and
    keeps a copy of its tables (approved.<table>, <export>/approved/). Later runs of the month stop."""
    month = parse_month(config.month)
    with (
        month_taken_or_refused(context, storage.paths.warehouse, month, "approve"),
        storage.connect() as con,
        _as_failure(),
    ):
        approval = approve_plan(con, storage.paths.export_dir, month, config.by, config.note)
    context.log.info(f"Plan month {config.month} is the plan of record: {approval.describe()}.")


@dg.op
def reopen_month(context: dg.OpExecutionContext, config: ReopeningConfig, storage: SopStorage) -> None:
    """Reopens an approved month so that it can run again; its approved copy stays readable."""
    by = config.by or getpass.getuser()
    month = parse_month(config.month)
    with (
        month_taken_or_refused(context, storage.paths.warehouse, month, "reopen"),
        storage.connect() as con,
        _as_failure(),
    ):
        approval = reopen_plan(con, storage.paths.export_dir, month, config.reason, by)
    context.log.info(
        f"Plan month {config.month} is reopened: a draft again until approved. Its approval {approval.approval}"
        f" ({approval.describe()}) stays readable in approved.<table> and <export>/approved/."
    )


@contextmanager
def _as_failure() -> Iterator[None]:
    """A refusal is the user's to act on: a Dagster failure with the message alone, not a traceback."""
    try:
        yield
    except PlanOfRecordError as error:
        raise dg.Failure(description=str(error), allow_retries=False) from None


@dg.job(
    name=APPROVE_JOB,
    description="Approve a month's published plan as the plan of record (run config: month, by, note).",
)
def approve_plan_job() -> None:
    approve_month()


@dg.job(
    name=REOPEN_JOB, description="Reopen an approved month so that it can be planned again (run config: month, reason)."
)
def reopen_plan_job() -> None:
    reopen_month()
