"""Runs killed outright (SIGKILL: an out-of-memory kill, a container restart, a reboot) while they
republish a month from a corrected extract, on one Dagster instance, through the real command
lines. What was published stays whole (the old month or the new, never a mixture); the dead run
shows as failed; the next runs of the same month and of another one finish with the right plan."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import dagster as dg
import pyarrow.parquet as pq
import pytest
from dagster._core.events import DagsterEvent

from pipelines.partitions import WAREHOUSE_POOL
from pipelines.run_health import Worker, is_alive
from sop.core import PROJECT_ROOT
from sop.publish.month_lock import lock_folder
from tests.conftest import Undisturbed
from tests.deployment import MONTH, NEXT_MONTH
from tests.operators import WITHIN_SECONDS, EventTest, Operator, logged, step_finished, step_started


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


def _killed_and_recovered(operator: Operator, undisturbed: Undisturbed, tool: str, moment: EventTest) -> str:
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
    operator: Operator, undisturbed: Undisturbed, tool: str, moment: EventTest
) -> None:
    _killed_and_recovered(operator, undisturbed, tool, moment)


def _kill_when(process: subprocess.Popen, appeared: Callable[[], bool]) -> None:
    """Kills the process as soon as `appeared()` holds, which must happen while it runs."""
    deadline = time.monotonic() + WITHIN_SECONDS
    while not appeared() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert appeared() and process.poll() is None, "the moment never came while the command ran"
    process.kill()
    process.wait()


def test_runs_killed_in_their_first_seconds_block_no_later_run(operator: Operator, undisturbed: Undisturbed) -> None:
    """On a new instance: the first command killed as it creates the instance's storages, the next as its
    run takes the month, before any step; then the month runs."""
    new = Operator(operator.deployment, "new_dagster_home")
    home = new.root / new.home
    home.mkdir()
    shutil.copy(PROJECT_ROOT / "dagster.yaml", home)
    _kill_when(new.start("sop-run", MONTH), lambda: any(home.rglob("*.db")))
    holder = lock_folder(Path(new.deployment.storage.warehouse)) / f"{MONTH}.holder.json"
    _kill_when(new.start("dagster", MONTH), holder.exists)

    new.finish("sop-run", MONTH)
    assert new.deployment.published(MONTH) == undisturbed[MONTH]
    assert dg.DagsterRunStatus.STARTED not in new.statuses().values()
    assert new.slot_holders() == set()


def test_a_run_killed_while_it_waits_for_the_pool_and_a_holder_that_dies_block_no_later_run(
    operator: Operator, undisturbed: Undisturbed, live_holder: subprocess.Popen
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
    assert operator.ended(process) != 0
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
        cwd=PROJECT_ROOT,
        env=operator.env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + WITHIN_SECONDS
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
