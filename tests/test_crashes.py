"""Runs killed outright (SIGKILL: an out-of-memory kill, a container restart, a reboot) while they
republish a month from a corrected extract, on one Dagster instance, through the real command
lines. What was published stays whole (the old month or the new, never a mixture); the dead run
shows as failed; the next runs of the same month and of another one finish with the right plan."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import polars as pl
import pyarrow.parquet as pq
import pytest
from dagster._core.events import DagsterEvent
from dagster._core.instance.ref import InstanceRef

from pipelines.partitions import WAREHOUSE_POOL
from pipelines.run_health import Worker, is_alive
from sop.sample_data import write_sample_extracts
from tests.deployment import MONTH, NEXT_MONTH, SMALL, Deployment, copy_deployment, new_deployment

PROJECT = Path(__file__).resolve().parent.parent
FINISH_WITHIN_SECONDS = 60
"""A run after a crash must not hang: each gets this long (10 to 20 s is usual)."""
MOMENT_WITHIN_SECONDS = 90

EventTest = Callable[[dg.EventLogEntry], bool]


def step_started(step: str) -> EventTest:
    return lambda entry: entry.dagster_event_type == dg.DagsterEventType.STEP_START and entry.step_key == step


def step_finished(step: str) -> EventTest:
    return lambda entry: entry.dagster_event_type == dg.DagsterEventType.STEP_SUCCESS and entry.step_key == step


def logged(text: str) -> EventTest:
    return lambda entry: text in entry.user_message


@dataclass
class Operator:
    """A deployment with a Dagster instance of its own (DAGSTER_HOME holding the project's dagster.yaml),
    run as an operator runs it: `dagster job execute` and `sop-run`, each in a process of its own."""

    deployment: Deployment

    @property
    def root(self) -> Path:
        return self.deployment.root

    def env(self) -> dict[str, str]:
        storage = self.deployment.storage
        return os.environ | {
            "DAGSTER_HOME": str(self.root / "dagster_home"),
            "SOP_EXTRACTS_DIR": storage.extracts_dir,
            "SOP_WAREHOUSE": storage.warehouse,
            "SOP_EXPORT_DIR": storage.export_dir,
        }

    def instance(self) -> dg.DagsterInstance:
        return dg.DagsterInstance.from_ref(InstanceRef.from_dir(str(self.root / "dagster_home")))

    def start(self, tool: str, month: str) -> subprocess.Popen:
        # The README's commands, with this environment's interpreter.
        execute = ["-m", "dagster", "job", "execute", "-m", "pipelines", "-j", "monthly_sop_plan", "--tags"]
        sop_run = ["-m", "pipelines.run_month", "--history", "0", "--month"]
        arguments = {"dagster": [*execute, json.dumps({"dagster/partition": month})], "sop-run": [*sop_run, month]}
        log = (self.root / f"{time.monotonic_ns()}-{tool}-{month}.log").open("w")
        return subprocess.Popen(
            [sys.executable, *arguments[tool]], cwd=PROJECT, env=self.env(), stdout=log, stderr=subprocess.STDOUT
        )

    def reached(self, process: subprocess.Popen, moment: EventTest) -> dg.DagsterRun:
        """The process's run, once it has logged the moment."""
        deadline = time.monotonic() + MOMENT_WITHIN_SECONDS
        with self.instance() as instance:
            while time.monotonic() < deadline and process.poll() is None:
                for run in instance.get_runs(filters=dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTED])):
                    if _worker_pid(instance, run) == process.pid and any(map(moment, instance.all_logs(run.run_id))):
                        return run
                time.sleep(0.05)
        process.kill()
        pytest.fail(f"the run never reached the moment (exit code {process.poll()}): {self.logs()[-5000:]}")

    def kill_at(self, process: subprocess.Popen, moment: EventTest) -> dg.DagsterRun:
        run = self.reached(process, moment)
        process.send_signal(signal.SIGKILL)
        process.wait()
        return run

    def finish(self, tool: str, month: str) -> None:
        process = self.start(tool, month)
        try:
            assert process.wait(timeout=FINISH_WITHIN_SECONDS) == 0, self.logs()[-5000:]
        except subprocess.TimeoutExpired:
            process.kill()
            pytest.fail(f"{tool} {month} did not finish within {FINISH_WITHIN_SECONDS} s: {self.logs()[-5000:]}")

    def logs(self) -> str:
        """What every command printed, oldest first."""
        return "\n".join(path.read_text() for path in sorted(self.root.glob("*.log")))

    def statuses(self) -> dict[str, dg.DagsterRunStatus]:
        with self.instance() as instance:
            return {run.run_id: run.status for run in instance.get_runs()}

    def slot_holders(self) -> set[str]:
        with self.instance() as instance:
            return instance.event_log_storage.get_concurrency_run_ids()


def _worker_pid(instance: dg.DagsterInstance, run: dg.DagsterRun) -> int | None:
    start = instance.get_records_for_run(run.run_id, of_type=dg.DagsterEventType.RUN_START, limit=1).records
    return start[0].event_log_entry.dagster_event.pid if start else None


def _corrected_sales(deployment: Deployment) -> None:
    """A corrected sales extract for the month: every quantity 20% higher, so every table changes."""
    path = deployment.extract("sales")
    sales = pl.read_csv(path, infer_schema=False)
    sales.with_columns((pl.col("units").cast(pl.Float64) * 1.2).round(0).cast(pl.Int64)).write_csv(path)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Deployment:
    """The month published from its first extracts, a corrected sales extract waiting, the next
    month's extracts, and an instance with no run yet."""
    deployment = new_deployment(tmp_path_factory.mktemp("template"))
    write_sample_extracts(deployment.root / "extracts", NEXT_MONTH, SMALL)
    assert deployment.run(MONTH).success
    _corrected_sales(deployment)
    (deployment.root / "dagster_home").mkdir()
    shutil.copy(PROJECT / "dagster.yaml", deployment.root / "dagster_home")
    # Dagster's SQLite run and schedule storages are not safe to create from two processes at once
    # (both stamp alembic_version, and every later command fails on its two heads): create them here,
    # before a test's command and the test itself open the instance together.
    Operator(deployment).instance().dispose()
    return deployment


@pytest.fixture(scope="module")
def undisturbed(template: Deployment, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, object]]:
    """What each month publishes when nothing goes wrong."""
    deployment = copy_deployment(template, tmp_path_factory.mktemp("undisturbed") / "deployment")
    for month in (MONTH, NEXT_MONTH):
        assert deployment.run(month).success
    return {month: deployment.published(month) for month in (MONTH, NEXT_MONTH)}


@pytest.fixture
def operator(template: Deployment, tmp_path: Path) -> Operator:
    return Operator(copy_deployment(template, tmp_path / "deployment"))


@pytest.fixture
def live_holder(operator: Operator) -> Iterator[subprocess.Popen]:
    """Another run that holds the warehouse pool: a run of the instance whose process lives."""
    process = subprocess.Popen(["sleep", "600"])
    with operator.instance() as instance:
        run = instance.add_run(dg.DagsterRun(job_name="monthly_sop_plan", tags={"dagster/partition": "2026-09"}))
        start = DagsterEvent(dg.DagsterEventType.RUN_START.value, run.job_name, message="held", pid=process.pid)
        instance.report_dagster_event(start, run.run_id)
        instance.event_log_storage.initialize_concurrency_limit_to_default(WAREHOUSE_POOL)
        assert instance.event_log_storage.claim_concurrency_slot(WAREHOUSE_POOL, run.run_id, "hold").is_claimed
    yield process
    process.kill()
    process.wait()


def _killed_and_recovered(
    operator: Operator, undisturbed: dict[str, dict[str, object]], tool: str, moment: EventTest
) -> str:
    """Kills a republishing run of the month at the moment, checks what is published, then runs the
    same month with the same tool and the next month with the other; returns the killed run's id."""
    old = operator.deployment.published(MONTH)
    killed = operator.kill_at(operator.start(tool, MONTH), moment)

    after = operator.deployment.published(MONTH)
    new = undisturbed[MONTH]
    # DuckDB and Parquet are each the old month or the new one (DuckDB may be ahead of Parquet
    # when the kill came between publishing and exporting).
    assert after["tables"] in (old["tables"], new["tables"])
    assert after["files"] in (old["files"], new["files"])
    for path in operator.root.glob("export/**/*.parquet"):
        pq.read_metadata(path)

    operator.finish(tool, MONTH)
    operator.finish("sop-run" if tool == "dagster" else "dagster", NEXT_MONTH)
    for month in (MONTH, NEXT_MONTH):
        assert operator.deployment.published(month) == undisturbed[month], month
    assert operator.statuses()[killed.run_id] == dg.DagsterRunStatus.FAILURE
    assert f"Marked run {killed.run_id[:8]}" in operator.logs()
    assert operator.slot_holders() == set()
    return killed.run_id


@pytest.mark.parametrize(
    ("tool", "moment"),
    [
        pytest.param("dagster", step_started("raw_sales"), id="dagster-as-its-first-ingest-step-takes-the-pool"),
        pytest.param("sop-run", logged("forecast regular:"), id="sop-run-during-the-forecast"),
        pytest.param("dagster", step_started("published_month"), id="dagster-while-publishing"),
        pytest.param("sop-run", step_finished("published_month"), id="sop-run-between-publishing-and-export"),
    ],
)
def test_a_killed_run_leaves_the_month_whole_shows_as_failed_and_blocks_no_later_run(
    operator: Operator, undisturbed: dict[str, dict[str, object]], tool: str, moment: EventTest
) -> None:
    _killed_and_recovered(operator, undisturbed, tool, moment)


def test_a_run_killed_while_it_waits_for_the_pool_and_a_holder_that_dies_block_no_later_run(
    operator: Operator, undisturbed: dict[str, dict[str, object]], live_holder: subprocess.Popen
) -> None:
    (holder,) = operator.slot_holders()

    def holder_dies_too(entry: dg.EventLogEntry) -> bool:
        if "waits for pool" not in entry.user_message:
            return False
        live_holder.kill()
        live_holder.wait()
        return True

    _killed_and_recovered(operator, undisturbed, "dagster", holder_dies_too)
    assert operator.statuses()[holder] == dg.DagsterRunStatus.FAILURE


def test_a_run_waiting_for_the_pool_says_once_who_holds_it_and_stops_on_sigterm(
    operator: Operator, live_holder: subprocess.Popen
) -> None:
    (holder,) = operator.slot_holders()
    process = operator.start("dagster", MONTH)
    waiting = operator.reached(process, logged("waits for pool"))
    time.sleep(5)  # a few more claims of the slot, which must not repeat the message
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) != 0
    log = operator.logs()
    assert log.count("waits for pool") == 1
    assert f"held by run {holder} (monthly_sop_plan, plan month 2026-09, step `hold`, pid {live_holder.pid})" in log
    assert operator.statuses()[waiting.run_id] == dg.DagsterRunStatus.FAILURE
    assert operator.slot_holders() == {holder}


def test_the_daemon_of_dagster_dev_marks_a_dead_run_failed_and_frees_its_slot(
    operator: Operator, live_holder: subprocess.Popen
) -> None:
    (holder,) = operator.slot_holders()
    live_holder.kill()
    live_holder.wait()
    daemon = subprocess.Popen(
        [str(Path(sys.executable).parent / "dagster-daemon"), "run", "-m", "pipelines"],
        cwd=PROJECT,
        env=operator.env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + MOMENT_WITHIN_SECONDS
        while time.monotonic() < deadline and operator.slot_holders():
            time.sleep(1)
    finally:
        os.killpg(daemon.pid, signal.SIGTERM)
        daemon.wait(timeout=30)
    assert operator.statuses()[holder] == dg.DagsterRunStatus.FAILURE
    assert operator.slot_holders() == set()


def test_a_worker_is_alive_while_its_process_runs_and_not_after() -> None:
    assert is_alive(Worker(os.getpid(), time.time()))
    ended = subprocess.Popen(["true"])
    ended.wait()
    assert not is_alive(Worker(ended.pid, time.time()))
    zombie = subprocess.Popen(["true"])
    time.sleep(0.5)  # ended, and not reaped yet
    assert not is_alive(Worker(zombie.pid, time.time()))
    zombie.wait()
    # A pid taken over by a process that started after the run did is not the run's.
    assert not is_alive(Worker(os.getpid(), time.time() - 365 * 24 * 3600))
