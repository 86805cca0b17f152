"""The run launcher of the instance (`dagster.yaml`): Dagster's default one, plus the health check
that lets Dagster's run monitoring find a run whose process is gone.

Dagster's `DefaultRunLauncher` cannot tell whether a run's process still lives, so its run monitoring
never fails a run that was killed; with `max_concurrent_runs: 1` such a run would hold the queue of
`dagster dev` (the UI, the schedule, the sensor, backfills) for good. With this check, the daemon
marks it failed within `run_monitoring.poll_interval_seconds`, and `free_slots_after_run_end_seconds`
frees its pool slots.
"""

from __future__ import annotations

from dagster import DagsterRun, DefaultRunLauncher
from dagster._core.launcher import CheckRunHealthResult, WorkerStatus

from pipelines.run_health import death_notice, is_alive, run_worker


class LocalRunLauncher(DefaultRunLauncher):
    @property
    def supports_check_run_worker_health(self) -> bool:
        return True

    def check_run_worker_health(self, run: DagsterRun) -> CheckRunHealthResult:
        worker = run_worker(self._instance, run.run_id)
        if worker is None or is_alive(worker):
            # Before its run-start event a run is STARTING, which run monitoring times out by itself.
            return CheckRunHealthResult(WorkerStatus.RUNNING)
        return CheckRunHealthResult(WorkerStatus.FAILED, death_notice(worker))
