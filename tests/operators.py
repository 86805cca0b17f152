"""Operators at the command line: a deployment with a Dagster instance of its own (DAGSTER_HOME holding the
project's dagster.yaml), run as an operator runs it, each command in a process of its own, and the
moments of a run that a test acts at. Shared by the crash tests and the tests of runs started at once."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import polars as pl
import pytest
from dagster._core.instance.ref import InstanceRef

from sop.core import PROJECT_ROOT
from sop.sample_data import write_sample_extracts
from tests.deployment import MONTH, NEXT_MONTH, SMALL, Deployment, new_deployment

WITHIN_SECONDS = 600
"""The most a run, or a moment of one, may take: generous for a 2-core machine running a second test suite
beside this one. Every wait returns as soon as the event it waits for happens; a hang fails here."""

EventTest = Callable[[dg.EventLogEntry], bool]


def step_started(step: str) -> EventTest:
    return lambda entry: entry.dagster_event_type == dg.DagsterEventType.STEP_START and entry.step_key == step


def step_finished(step: str) -> EventTest:
    return lambda entry: entry.dagster_event_type == dg.DagsterEventType.STEP_SUCCESS and entry.step_key == step


def any_step_started(entry: dg.EventLogEntry) -> bool:
    return entry.dagster_event_type == dg.DagsterEventType.STEP_START


def logged(text: str) -> EventTest:
    return lambda entry: text in entry.user_message


def command(tool: str, month: str) -> list[str]:
    """The README's commands for a plan month, with this environment's interpreter."""
    match tool:
        case "dagster":
            tags = json.dumps({"dagster/partition": month})
            return ["-m", "dagster", "job", "execute", "-m", "pipelines", "-j", "monthly_sop_plan", "--tags", tags]
        case "materialize":
            return ["-m", "dagster", "asset", "materialize", "-m", "pipelines", "--select", "*", "--partition", month]
        case "sop-run":
            return ["-m", "pipelines.run_month", "--history", "0", "--month", month]
    raise ValueError(tool)


@dataclass
class Operator:
    """A deployment and the Dagster instance of `home` (a folder in the deployment's root)."""

    deployment: Deployment
    home: str = "dagster_home"

    @property
    def root(self) -> Path:
        return self.deployment.root

    def with_instance(self, home: str) -> Operator:
        """Another operator of the same warehouse, with a Dagster instance of its own."""
        other = Operator(self.deployment, home)
        other.prepare()
        return other

    def prepare(self) -> None:
        """DAGSTER_HOME with the project's dagster.yaml and its storages created: Dagster's SQLite run and
        schedule storages are not safe to create from two processes at once (both stamp alembic_version, and
        every later command fails on its two heads)."""
        (self.root / self.home).mkdir(exist_ok=True)
        shutil.copy(PROJECT_ROOT / "dagster.yaml", self.root / self.home)
        self.instance().dispose()

    def env(self) -> dict[str, str]:
        storage = self.deployment.storage
        return os.environ | {
            "DAGSTER_HOME": str(self.root / self.home),
            "SOP_EXTRACTS_DIR": storage.extracts_dir,
            "SOP_WAREHOUSE": storage.warehouse,
            "SOP_EXPORT_DIR": storage.export_dir,
        }

    def instance(self) -> dg.DagsterInstance:
        return dg.DagsterInstance.from_ref(InstanceRef.from_dir(str(self.root / self.home)))

    def start(self, tool: str, month: str, *arguments: str) -> subprocess.Popen:
        """One of the README's commands for the month, or `sop-run` with other `arguments` (approve, reopen)."""
        words = command(tool, month) if not arguments else ["-m", "pipelines.run_month", *arguments]
        log = (self.root / f"{time.monotonic_ns()}-{self.home}-{tool}-{month}.log").open("w")
        return subprocess.Popen(
            [sys.executable, *words], cwd=PROJECT_ROOT, env=self.env(), stdout=log, stderr=subprocess.STDOUT
        )

    def reached(self, process: subprocess.Popen, moment: EventTest) -> dg.DagsterRun:
        """The process's run, once it has logged the moment (its events read as they come, with a cursor)."""
        deadline = time.monotonic() + WITHIN_SECONDS
        cursors: dict[str, str | None] = {}
        with self.instance() as instance:
            while time.monotonic() < deadline and process.poll() is None:
                for run in instance.get_runs(filters=dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTED])):
                    if run.run_id not in cursors and worker_pid(instance, run) != process.pid:
                        continue
                    events = instance.get_records_for_run(run.run_id, cursor=cursors.get(run.run_id))
                    cursors[run.run_id] = events.cursor
                    if any(moment(record.event_log_entry) for record in events.records):
                        return run
                time.sleep(0.1)
        process.kill()
        pytest.fail(f"the run never reached the moment (exit code {process.poll()}): {self.logs()[-5000:]}")

    def kill_at(self, process: subprocess.Popen, moment: EventTest) -> dg.DagsterRun:
        run = self.reached(process, moment)
        process.send_signal(signal.SIGKILL)
        process.wait()
        return run

    def ended(self, process: subprocess.Popen) -> int:
        """The process's exit code, once its run has ended and the process with it."""
        try:
            return process.wait(timeout=WITHIN_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            pytest.fail(f"a command did not end within {WITHIN_SECONDS} s: {self.logs()[-5000:]}")

    def finish(self, tool: str, month: str) -> None:
        assert self.ended(self.start(tool, month)) == 0, self.logs()[-5000:]

    def logs(self) -> str:
        """What every command of this operator printed, oldest first."""
        return "\n".join(path.read_text() for path in sorted(self.root.glob(f"*-{self.home}-*.log")))

    def statuses(self) -> dict[str, dg.DagsterRunStatus]:
        with self.instance() as instance:
            return {run.run_id: run.status for run in instance.get_runs()}

    def slot_holders(self) -> set[str]:
        with self.instance() as instance:
            return instance.event_log_storage.get_concurrency_run_ids()


def worker_pid(instance: dg.DagsterInstance, run: dg.DagsterRun) -> int | None:
    start = instance.get_records_for_run(run.run_id, of_type=dg.DagsterEventType.RUN_START, limit=1).records
    return start[0].event_log_entry.dagster_event.pid if start else None


def corrected_sales(deployment: Deployment) -> None:
    """A corrected sales extract for the month: every quantity 20% higher, so every table changes."""
    path = deployment.extract("sales")
    sales = pl.read_csv(path, infer_schema=False)
    sales.with_columns((pl.col("units").cast(pl.Float64) * 1.2).round(0).cast(pl.Int64)).write_csv(path)


def republishing_template(root: Path) -> Deployment:
    """MONTH published from its first extracts, a corrected sales extract waiting, the next month's
    extracts, and an instance with no run yet."""
    deployment = new_deployment(root)
    write_sample_extracts(deployment.root / "extracts", NEXT_MONTH, SMALL)
    assert deployment.run(MONTH).success
    corrected_sales(deployment)
    Operator(deployment).prepare()
    return deployment
