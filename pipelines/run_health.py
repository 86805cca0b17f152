"""Runs whose process is gone: found, marked failed and their warehouse pool slots freed.

A run killed outright (SIGKILL, out of memory, a reboot) cannot report its own end: the instance
keeps it as STARTED, and a pool slot it held stays taken, so every later run would wait for it
forever. Every run checks for such runs as it starts and while it waits for the pool; the daemon
of `dagster dev` does the same through run monitoring (`pipelines.launcher`).

The instance is the SQLite storage under DAGSTER_HOME, on this machine's disk: the process of
every run it records is a process of this machine, found by the pid of its run-start event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import dagster as dg
from dagster._core.events import JobFailureData, RunFailureReason

from sop.core.processes import process_is_alive


@dataclass(frozen=True)
class Worker:
    """The process that started executing a run, and when it did."""

    pid: int
    started_at: float


def run_worker(instance: dg.DagsterInstance, run_id: str) -> Worker | None:
    """The process of a run, from its run-start event; None before the run has started executing."""
    records = instance.get_records_for_run(run_id, of_type=dg.DagsterEventType.RUN_START, limit=1).records
    if not records:
        return None
    entry = records[0].event_log_entry
    pid = entry.dagster_event.pid if entry.dagster_event else None
    return Worker(pid, entry.timestamp) if pid else None


def is_alive(worker: Worker) -> bool:
    """Whether the worker's process still runs (not a later process that took its pid)."""
    return process_is_alive(worker.pid, worker.started_at)


@dataclass(frozen=True)
class DeadRun:
    run: dg.DagsterRun
    worker: Worker

    def notice(self) -> str:
        """What the run that found it says."""
        month = self.run.tags.get("dagster/partition", "no partition")
        return (
            f"Marked run {self.run.run_id[:8]} ({self.run.job_name}, plan month {month}, pid {self.worker.pid})"
            " failed: its process is gone (killed or crashed); its pool slots are free again."
        )


def dead_runs(instance: dg.DagsterInstance, but: str | None = None) -> list[DeadRun]:
    """Runs the instance holds as STARTED whose process is gone (other than run `but`)."""
    found = []
    for run in instance.get_runs(filters=dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTED])):
        worker = run_worker(instance, run.run_id)
        if run.run_id != but and worker is not None and not is_alive(worker):
            found.append(DeadRun(run, worker))
    return found


def death_notice(worker: Worker) -> str:
    started = datetime.fromtimestamp(worker.started_at, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    return (
        f"The process of this run (pid {worker.pid}, started {started}) is gone without reporting how it"
        " ended: it was killed (SIGKILL, out of memory) or the machine restarted. The run is marked failed"
        " and its warehouse pool slots are freed so that later runs can go on. Nothing of the month was"
        " published unless its `published_month` step had finished; run the month again to publish it."
    )


def recover_dead_runs(instance: dg.DagsterInstance, but: str | None = None) -> list[DeadRun]:
    """Marks every dead run failed, frees the pool slots of every ended run, and returns the dead runs.

    Freeing the slots of ended runs is what Dagster's daemon does with `free_slots_after_run_end_seconds`;
    a run started from the shell has no daemon beside it, so it does it too.
    """
    recovered = []
    for dead in dead_runs(instance, but):
        current = instance.get_run_by_id(dead.run.run_id)
        # Another starting run may have got there first.
        if current is not None and current.status == dg.DagsterRunStatus.STARTED:
            instance.report_run_failed(
                current,
                death_notice(dead.worker),
                JobFailureData(error=None, failure_reason=RunFailureReason.UNEXPECTED_TERMINATION),
            )
            recovered.append(dead)
    free_slots_of_ended_runs(instance)
    return recovered


def free_slots_of_ended_runs(instance: dg.DagsterInstance) -> None:
    storage = instance.event_log_storage
    if not storage.supports_global_concurrency_limits:
        return
    holders = storage.get_concurrency_run_ids()
    if not holders:
        return
    for run in instance.get_runs(filters=dg.RunsFilter(run_ids=list(holders))):
        if run.is_finished:
            storage.free_concurrency_slots_for_run(run.run_id)
