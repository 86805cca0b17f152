"""One plan month, one run: a run holds its month (`sop.publish.month_lock`) from the setup of its
resources, before its first step, to their teardown after its last.

A second run of a month that is being planned waits, saying which run holds it, and plans the month
once that run has ended (a run whose process died has ended: the kernel frees its lock). Approving or
reopening a month that a run is planning stops at once instead: the meeting approves what it has seen.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import dagster as dg
import psutil
from dagster._core.errors import DagsterExecutionInterruptedError
from dagster._core.storage.tags import BACKFILL_ID_TAG, PARENT_RUN_ID_TAG, SCHEDULE_NAME_TAG, SENSOR_NAME_TAG
from dagster._utils.interrupts import check_captured_interrupt

from pipelines.progress.watcher import RUN_TOKEN_TAG
from sop.core import month_label
from sop.publish.month_lock import MonthHolder, MonthLock

WAIT_POLL_SECONDS = 1.0


def hold_month(context: dg.InitResourceContext, warehouse: Path, plan_month: date) -> MonthLock:
    """Takes the plan month for the context's run, waiting while another run holds it; stops on a signal."""
    lock = MonthLock(warehouse, plan_month)
    me = _holder(context.run, context.instance)
    label = month_label(plan_month)
    told = None
    while not lock.take(me):
        # Dagster holds Ctrl-C and SIGTERM back while a run executes, for its own checkpoints to act on.
        if check_captured_interrupt():
            raise DagsterExecutionInterruptedError(f"Stopped by a signal while waiting for plan month {label}")
        holder = lock.holder()
        if holder is not None and holder.run_id != told:
            told = holder.run_id
            context.log.warning(
                f"Plan month {label} is being planned by {holder.describe()}. One run plans a month at a time:"
                " this run waits, writes nothing meanwhile, and plans the month once that run has ended (or its"
                " process is gone). Not wanted? Stop this run (Ctrl-C, or Terminate in the Dagster UI)."
            )
        time.sleep(WAIT_POLL_SECONDS)
    if told is not None:
        try:
            context.log.info(f"Plan month {label}: the run that held it has ended; this run plans it now.")
        except BaseException:
            lock.release()
            raise
    return lock


@contextmanager
def month_taken_or_refused(
    context: dg.OpExecutionContext, warehouse: Path, plan_month: date, doing: str
) -> Iterator[None]:
    """Holds the plan month for the block, or fails at once, naming the run that holds it."""
    lock = MonthLock(warehouse, plan_month)
    if not lock.take(_holder(context.run, context.instance)):
        holder = lock.holder()
        label = month_label(plan_month)
        then = "when you have seen what it published" if doing == "approve" else "if the month is still approved"
        raise dg.Failure(
            description=(
                f"Plan month {label} is being planned right now by {holder.describe() if holder else 'another run'}."
                f" Nothing was recorded. {doing.capitalize()} it once that run has ended, {then}"
                f" (uv run sop-run {doing} --month {label} ...)."
            ),
            allow_retries=False,
        )
    try:
        yield
    finally:
        lock.release()


def _holder(run: dg.DagsterRun | None, instance: dg.DagsterInstance | None) -> MonthHolder:
    where = "ephemeral (in this process)" if instance is None or instance.is_ephemeral else instance.root_directory
    return MonthHolder.of_this_process(
        run.run_id if run else "(no run)", how_started(run) if run else _command_line(), where
    )


def how_started(run: dg.DagsterRun) -> str:
    """What started the run, as its tags say, else the command line of its process."""
    tags = run.tags
    if sensor := tags.get(SENSOR_NAME_TAG):
        return f"the sensor {sensor}"
    if schedule := tags.get(SCHEDULE_NAME_TAG):
        return f"the schedule {schedule}"
    if backfill := tags.get(BACKFILL_ID_TAG):
        return f"backfill {backfill}"
    if RUN_TOKEN_TAG in tags:
        return "sop-run"
    if parent := tags.get(PARENT_RUN_ID_TAG):
        return f"a re-execution of run {parent}"
    return _command_line()


def _command_line() -> str:
    """`dagster job execute -m pipelines ...` as the operator typed it, without the interpreter's path."""
    words = psutil.Process(os.getpid()).cmdline()
    if "--multiprocessing-fork" in words:  # the code server starts a launched run in a process of its own
        return "the Dagster UI (a launched run)"
    if len(words) > 2 and words[1] == "-m":
        words = words[2:]
    elif words and Path(words[0]).name.startswith("python"):
        words = words[1:]
    if words:
        words = [Path(words[0]).name, *words[1:]]
    if words[:3] == ["dagster", "api", "execute_run"]:
        return "the Dagster UI (a launched run)"
    text = " ".join(words)
    return f"`{text[:117]}...`" if len(text) > 120 else f"`{text}`"
