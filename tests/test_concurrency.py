"""Commands started at once: two months share the one DuckDB file (the later step waits, nothing
fails), and commands opening a new Dagster instance leave it usable."""

import multiprocessing
import os
import shutil
import threading
from pathlib import Path

import dagster as dg
from dagster._core.instance.ref import InstanceRef

from pipelines.resources import SopStorage
from pipelines.run_month import open_instance
from sop.core import PROJECT_ROOT
from sop.sample_data import write_sample_extracts
from tests.deployment import MONTH, NEXT_MONTH, SMALL, Deployment, new_deployment


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
