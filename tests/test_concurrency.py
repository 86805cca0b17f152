"""Commands started at once: two runs of one month (the later waits for the month, the month ends as one
run publishes it), two months sharing the one DuckDB file (the later step waits, nothing fails), and
commands opening a new Dagster instance (which stays usable)."""

import itertools
import multiprocessing
import os
import shutil
import signal
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb
from dagster._core.instance.ref import InstanceRef

from pipelines.resources import SopStorage
from pipelines.run_month import open_instance
from sop.core import PROJECT_ROOT
from sop.core.months import parse_month
from sop.publish.month_lock import MonthHolder, MonthLock
from sop.sample_data import write_sample_extracts
from tests.conftest import Undisturbed
from tests.deployment import MONTH, NEXT_MONTH, SMALL, Deployment, new_deployment
from tests.operators import Operator, any_step_started, logged, step_started


def _run(root: str, month: str) -> bool:
    """One month's run in a process of its own, as two shells or two run workers would do."""
    storage = SopStorage(extracts_dir=f"{root}/extracts", warehouse=f"{root}/sop.duckdb", export_dir=f"{root}/export")
    return Deployment(Path(root), storage).run(month).success


def test_two_months_run_at_the_same_time_without_a_lock_error(tmp_path: Path) -> None:
    deployment = new_deployment(tmp_path)
    write_sample_extracts(tmp_path / "extracts", NEXT_MONTH, SMALL)
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        outcomes = pool.starmap(_run, [(str(tmp_path), MONTH), (str(tmp_path), NEXT_MONTH)])
    assert outcomes == [True, True]
    assert deployment.plan(MONTH).height == deployment.plan(NEXT_MONTH).height > 0


def _open_together(home: str, ready: threading.Barrier) -> None:
    os.environ["DAGSTER_HOME"] = home
    ready.wait()  # all imported: the opens meet
    open_instance(Path(home)).dispose()


def test_commands_opening_a_new_instance_at_once_leave_it_usable(tmp_path: Path) -> None:
    """Two `sop-run` started together on a new DAGSTER_HOME (a scheduler's first night): Dagster's
    SQLite storages must be created once, or the instance refuses every later command."""
    shutil.copy(PROJECT_ROOT / "dagster.yaml", tmp_path)
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager, context.Pool(4) as pool:
        ready = manager.Barrier(4)
        pool.starmap(_open_together, [(str(tmp_path), ready)] * 4)
    with dg.DagsterInstance.from_ref(InstanceRef.from_dir(str(tmp_path))) as instance:
        assert instance.get_runs() == []


def _steps(operator: Operator, run_id: str) -> tuple[float, float]:
    """When the run's first step started and its last step ended."""
    with operator.instance() as instance:
        times = [
            entry.timestamp
            for entry in instance.all_logs(run_id)
            if entry.dagster_event_type in (dg.DagsterEventType.STEP_START, dg.DagsterEventType.STEP_SUCCESS)
        ]
    return min(times), max(times)


@contextmanager
def _paused(process: subprocess.Popen) -> Iterator[None]:
    """The process stopped where it is (SIGSTOP), holding what it holds, until the block ends."""
    process.send_signal(signal.SIGSTOP)
    try:
        yield
    finally:
        process.send_signal(signal.SIGCONT)


def _meets_while_it_waits(first: subprocess.Popen, operator: Operator, tool: str) -> tuple[subprocess.Popen, str]:
    """Starts the operator's command of MONTH while the first is held where it is (on a busy machine it could
    otherwise finish before the command started), until the command says it waits; the command and its run."""
    with _paused(first):
        command = operator.start(tool, MONTH)
        return command, operator.reached(command, logged("is being planned by run")).run_id


def test_runs_of_a_month_being_planned_wait_their_turn_and_the_month_ends_as_one_run_publishes_it(
    operator: Operator, undisturbed: Undisturbed
) -> None:
    """`dagster job execute` plans the month (the sensor's run, say); a few seconds later an operator starts
    `dagster asset materialize` of it on the same instance, and while the first publishes, a colleague starts
    `sop-run` of it on another instance of the same warehouse."""
    colleague = operator.with_instance("other_dagster_home")
    first = operator.start("dagster", MONTH)
    holder = operator.reached(first, any_step_started).run_id
    rerun, rerun_id = _meets_while_it_waits(first, operator, "materialize")
    operator.reached(first, step_started("published_month"))
    other, other_id = _meets_while_it_waits(first, colleague, "sop-run")
    for command, by in ((first, operator), (rerun, operator), (other, colleague)):
        assert by.ended(command) == 0, by.logs()[-5000:]

    assert operator.deployment.published(MONTH) == undisturbed[MONTH]
    for by, run_id in ((operator, rerun_id), (colleague, other_id)):
        told = by.logs()  # what the operator of the waiting command read
        assert f"Plan month {MONTH} is being planned by run {holder} (started by `dagster job execute" in told
        assert "this run waits, writes nothing meanwhile, and plans the month once that run has ended" in told
        went_on = logged("the run that held it has ended; this run plans it now")
        with by.instance() as instance:
            assert any(map(went_on, instance.all_logs(run_id)))
    # One run after the other: no step of one ran while another run of the month was planning it.
    spans = sorted([_steps(operator, holder), _steps(operator, rerun_id), _steps(colleague, other_id)])
    assert all(earlier[1] < later[0] for earlier, later in itertools.pairwise(spans))


def test_approving_or_reopening_a_month_being_planned_stops_and_names_the_run(operator: Operator) -> None:
    lock = MonthLock(Path(operator.deployment.storage.warehouse), parse_month(MONTH))
    running = MonthHolder.of_this_process("3b1a95b2-run", "`dagster job execute -m pipelines`", "/srv/sop/dagster")
    assert lock.take(running)
    try:
        approve = operator.start("sop-run", MONTH, "approve", "--month", MONTH, "--by", "Maria Lopez")
        reopen = operator.start("sop-run", MONTH, "reopen", "--month", MONTH, "--reason", "Plant-B is down")
        assert (operator.ended(approve), operator.ended(reopen)) == (1, 1)
    finally:
        lock.release()
    refused = f"Plan month {MONTH} is being planned right now by run 3b1a95b2-run (started by `dagster job execute"
    assert operator.logs().count(refused) == 2
    assert "Nothing was recorded. Approve it once that run has ended" in operator.logs()
    with duckdb.connect(operator.deployment.storage.warehouse, read_only=True) as con:
        assert con.execute("select count(*) from plan_approvals").fetchall() == [(0,)]
    assert operator.ended(operator.start("sop-run", MONTH, "approve", "--month", MONTH, "--by", "Maria Lopez")) == 0
