"""The executor of the monthly run: Dagster's in-process executor, with four things added where
steps wait for the warehouse pool.

- Before its first step, a run marks failed the runs whose process is gone and frees their pool
  slots (`pipelines.run_health`), so that a killed run never blocks the next one.
- A step that waits for the pool says once which run holds it and since when, and looks again for
  a dead holder every half minute.
- A waiting run stops on SIGTERM or Ctrl-C: Dagster delays those signals to its checkpoints, and
  its in-process executor has none while it waits for a slot.
- A waiting run sleeps between its tries instead of spinning.

It mirrors `dagster._core.executor.in_process.InProcessExecutor.execute` (Dagster 1.13) with a
concurrency context of its own; `tests/test_crashes.py` holds it to that on upgrades.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import dagster as dg
from dagster._core.errors import DagsterExecutionInterruptedError
from dagster._core.events import DagsterEvent, EngineEventData
from dagster._core.execution.api import ExecuteRunWithPlanIterable
from dagster._core.execution.context.system import PlanExecutionContext, PlanOrchestrationContext
from dagster._core.execution.context_creation_job import PlanExecutionContextManager
from dagster._core.execution.plan.execute_plan import inner_plan_execution_iterator
from dagster._core.execution.plan.instance_concurrency_context import InstanceConcurrencyContext
from dagster._core.execution.plan.plan import ExecutionPlan
from dagster._core.execution.retries import RetryMode, get_retries_config
from dagster._core.executor.in_process import InProcessExecutor
from dagster._utils.interrupts import check_captured_interrupt

from pipelines.run_health import recover_dead_runs, run_worker

DEAD_HOLDER_CHECK_SECONDS = 30.0


class WarehouseExecutor(InProcessExecutor):
    def execute(self, plan_context: PlanOrchestrationContext, execution_plan: ExecutionPlan) -> Iterator[DagsterEvent]:
        for dead in recover_dead_runs(plan_context.instance, but=plan_context.run_id):
            plan_context.log.warning(dead.notice())
        step_keys = execution_plan.step_keys_to_execute
        yield DagsterEvent.engine_event(
            plan_context,
            f"Executing steps in process (pid: {os.getpid()})",
            event_specific_data=EngineEventData.in_process(os.getpid(), step_keys),
        )
        yield from iter(
            ExecuteRunWithPlanIterable(
                execution_plan=plan_context.execution_plan,
                iterator=_steps_in_process,
                execution_context_manager=PlanExecutionContextManager(
                    job=plan_context.job,
                    retry_mode=plan_context.retry_mode,
                    execution_plan=plan_context.execution_plan,
                    run_config=plan_context.run_config,
                    dagster_run=plan_context.dagster_run,
                    instance=plan_context.instance,
                    raise_on_error=plan_context.raise_on_error,
                    output_capture=plan_context.output_capture,
                    step_dependency_config=self.step_dependency_config,
                ),
            )
        )


def _steps_in_process(job_context: PlanExecutionContext, execution_plan: ExecutionPlan) -> Iterator[DagsterEvent]:
    with PoolWait(job_context) as pool_wait:
        yield from inner_plan_execution_iterator(job_context, execution_plan, pool_wait)


class PoolWait(InstanceConcurrencyContext):
    """Claims pool slots as Dagster does; while it cannot, it sleeps until its next try, says once who
    holds the pool, looks for a dead holder every half minute, and stops on a signal."""

    def __init__(self, job_context: PlanExecutionContext):
        super().__init__(job_context.instance, job_context.dagster_run)
        self._log = job_context.log
        self._told_holders: set[str] = set()
        self._next_dead_check = 0.0

    def claim(self, concurrency_key: str, step_key: str, step_priority: int = 0) -> bool:
        if check_captured_interrupt():
            raise DagsterExecutionInterruptedError(
                f"Stopped by a signal while `{step_key}` waited for pool {concurrency_key}"
            )
        # Dagster asks the storage again only once a step's backoff has passed.
        asks = step_key not in self._pending_claims or time.time() > self._pending_timeouts[step_key]
        claimed = super().claim(concurrency_key, step_key, step_priority)
        if asks and not claimed:
            self._while_blocked(concurrency_key, step_key)
        return claimed

    def interval_to_next_pending_claim_check(self) -> float:
        # Dagster 1.13 returns min(0, ...), never a wait, so its loop spins a core at 100% while blocked.
        if not self._pending_timeouts:
            return 0.0
        return max(0.0, min(self._pending_timeouts.values()) - time.time())

    def _while_blocked(self, pool: str, step_key: str) -> None:
        if time.monotonic() >= self._next_dead_check:
            self._next_dead_check = time.monotonic() + DEAD_HOLDER_CHECK_SECONDS
            for dead in recover_dead_runs(self._instance, but=self._run_id):
                self._log.warning(dead.notice())
        info = self._instance.event_log_storage.get_concurrency_info(pool)
        holders = [step for step in info.pending_steps if step.assigned_timestamp and step.run_id != self._run_id]
        for holder in holders:
            if holder.run_id not in self._told_holders:
                self._told_holders.add(holder.run_id)
                self._log.warning(f"`{step_key}` waits for pool {pool}: {self._describe(holder, info.limit)}")

    def _describe(self, holder, limit: int | None) -> str:
        run = self._instance.get_run_by_id(holder.run_id)
        worker = run_worker(self._instance, holder.run_id)
        since = holder.assigned_timestamp.replace(tzinfo=holder.assigned_timestamp.tzinfo or UTC)
        minutes = (datetime.now(UTC) - since).total_seconds() / 60
        month = run.tags.get("dagster/partition", "no partition") if run else "unknown"
        return (
            f"held by run {holder.run_id} ({run.job_name if run else 'unknown job'}, plan month {month},"
            f" step `{holder.step_key}`, pid {worker.pid if worker else 'unknown'}) since"
            f" {since:%Y-%m-%d %H:%M:%S} UTC ({minutes:.0f} min ago); {limit or 1} step at a time may write the"
            " warehouse. This run goes on when that step ends. Should that run's process die, this run marks it"
            " failed within a minute and goes on."
        )


@dg.executor(name="warehouse_in_process", config_schema={"retries": get_retries_config()})
def warehouse_executor(init_context: dg.InitExecutorContext) -> WarehouseExecutor:
    """Every step in one process; across runs, one warehouse step at a time (pool `sop_warehouse`)."""
    return WarehouseExecutor(retries=RetryMode.from_config(init_context.executor_config["retries"]))
