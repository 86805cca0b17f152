"""The thread that shows a run's progress while `execute_job` runs it: it finds the run by a tag of its
own, follows the run's event log with a cursor, writes the lines, and stops when the run ends. It only
reads: should it fail, it says so in one line and the run goes on."""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import threading
import time
import uuid
from collections.abc import Mapping
from typing import TextIO

import dagster as dg

from pipelines.progress.display import Mode, RunProgress
from pipelines.progress.events import observe

RUN_TOKEN_TAG = "sop/run_token"
"""A tag only the watched run carries: not a run of the same month that a schedule, a sensor, the UI
or another `sop-run` starts at the same moment."""
POLL_SECONDS = 0.5
STOP_WITHIN_SECONDS = 10.0
"""How long the run's end waits for the watcher's last lines."""


def progress_mode(stream: TextIO, environ: Mapping[str, str] = os.environ) -> Mode:
    """A progress bar on a terminal; plain lines in a file, a pipe, under CI or on a dumb terminal."""
    try:
        terminal = stream.isatty()
    except (AttributeError, ValueError):
        terminal = False
    ci = environ.get("CI", "").lower() not in ("", "0", "false")
    return "bar" if terminal and not ci and environ.get("TERM") != "dumb" else "plain"


class RunWatcher:
    """Shows the progress of the run that carries `tags`:
    `with RunWatcher(instance, label) as watcher: execute_job(..., tags={**month_tags, **watcher.tags})`."""

    def __init__(
        self, instance: dg.DagsterInstance, label: str, stream: TextIO | None = None, mode: Mode | None = None
    ) -> None:
        self.instance = instance
        self.tags = {RUN_TOKEN_TAG: uuid.uuid4().hex}
        self.stream = stream or sys.stderr
        self.progress = RunProgress(label, mode or progress_mode(self.stream))
        self.unicode = "utf" in (getattr(self.stream, "encoding", None) or "").lower()
        self.cursor: str | None = None
        self.drawn = False
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._follow, name=f"sop-run progress {label}", daemon=True)

    def __enter__(self) -> RunWatcher:
        try:
            self.thread.start()
        except Exception as error:  # the progress never stops a run
            with contextlib.suppress(Exception):
                self._say(f"(no progress shown: {error})")
        return self

    def __exit__(self, *_: object) -> None:
        self.stopping.set()
        if self.thread.is_alive():
            self.thread.join(STOP_WITHIN_SECONDS)

    def _follow(self) -> None:
        try:
            while True:
                last = self.stopping.is_set()  # once the run has returned: read what is left, then stop
                self._poll()
                if last or self.progress.outcome is not None:
                    return
                self.stopping.wait(POLL_SECONDS)
        except Exception as error:
            with contextlib.suppress(Exception):
                self._say(f"(progress display stopped: {type(error).__name__}: {error})")
        finally:
            with contextlib.suppress(Exception):
                self._clear()

    def _poll(self) -> None:
        if not self.progress.run_id:
            runs = self.instance.get_runs(filters=dg.RunsFilter(tags=self.tags), limit=1)
            if not runs:
                self._draw()
                return
            self.progress.run_id = runs[0].run_id
            self.progress.steps = self._step_count(runs[0])
        lines = []
        while True:
            connection = self.instance.get_records_for_run(self.progress.run_id, cursor=self.cursor, limit=500)
            for record in connection.records:
                seen = observe(record.event_log_entry)
                if seen is not None:
                    lines += self.progress.feed(seen)
            self.cursor = connection.cursor
            if not connection.has_more:
                break
        lines += self.progress.tick(time.time())
        for line in lines:
            self._say(line)
        self._draw()

    def _step_count(self, run: dg.DagsterRun) -> int | None:
        if run.execution_plan_snapshot_id is None:
            return None
        plan = self.instance.get_execution_plan_snapshot(run.execution_plan_snapshot_id)
        return len(plan.step_keys_to_execute)

    def _say(self, line: str) -> None:
        self._clear()
        self.stream.write(line + "\n")
        self.stream.flush()

    def _draw(self) -> None:
        if self.progress.mode != "bar" or self.progress.outcome is not None:
            return
        width = shutil.get_terminal_size().columns
        self.stream.write("\r\x1b[K" + self.progress.status(time.time(), width, self.unicode))
        self.stream.flush()
        self.drawn = True

    def _clear(self) -> None:
        if self.drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.drawn = False
