"""What `sop-run` shows while a month runs: each step as it ends (with its time and its checks), the
steps that run long, the forecast's series done of total with the time left, and the run's end.

On a terminal it is one status line with a progress bar, redrawn in place above which the ended steps
stay; in a log file or under CI, plain lines: one per step end, one when a step has run for
`LONG_STEP_SECONDS`, and the forecast about every tenth of each segment.

The run executes in Dagster's executor, which calls nothing of ours as it goes; what it records
does show in the instance's event log as it happens. A thread follows the run's event log with a
cursor (the run is the newest of the job for the month, found once `execute_job` has created it)
and stops when the run ends. It only reads: should it fail, it says so in one line and the run goes on.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, TextIO

import dagster as dg

from sop.forecast.progress import SeriesDone, eta_seconds, format_duration, parse_progress, tenth

Mode = Literal["bar", "plain"]

LONG_STEP_SECONDS = 10.0
"""A step still running after this long gets a line of its own (in plain mode)."""
POLL_SECONDS = 0.5
STEP_WIDTH = 21  # "forecast intermittent"
BAR_WIDTH = 20
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


def bar(fraction: float, width: int = BAR_WIDTH, unicode: bool = True) -> str:
    """`[█████▌              ]`, in eighths of a cell (`#` and `-` without Unicode)."""
    fraction = min(max(fraction, 0.0), 1.0)
    if not unicode:
        filled = round(fraction * width)
        return "[" + "#" * filled + "-" * (width - filled) + "]"
    eighths = round(fraction * width * 8)
    full, part = divmod(eighths, 8)
    cells = "█" * full + (" ▏▎▍▌▋▊▉"[part] if part else "")
    return "[" + cells.ljust(width) + "]"


def stamped(at: float, label: str, text: str) -> str:
    """A plain line: the local time of the event, the plan month, what happened."""
    return f"{time.strftime('%H:%M:%S', time.localtime(at))} {label}  {text}"


def step_end_text(step: str, outcome: str, seconds: float, passed: int = 0, failed: tuple[str, ...] = ()) -> str:
    """`stg_sales          done in 0.9s, 4 checks passed`; a failed check is named."""
    verb = "done in" if outcome == "done" else "FAILED after"
    text = f"{step:<{STEP_WIDTH}} {verb} {format_duration(seconds)}"
    if passed:
        text += f", {passed} check{'s' if passed > 1 else ''} passed"
    if failed:
        text += f", check{'s' if len(failed) > 1 else ''} failed: {', '.join(failed)}"
    return text


def series_text(progress: SeriesDone, elapsed: float, left: float | None) -> str:
    """`forecast regular   3,200 of 6,400 series (50%), 2m01s so far, about 2m01s left`."""
    head = f"{'forecast ' + progress.segment:<{STEP_WIDTH}} {progress.done:,} of {progress.total:,} series"
    head += f" ({progress.done / max(progress.total, 1):.0%})"
    if progress.done >= progress.total:
        return f"{head} in {format_duration(elapsed)}"
    return f"{head}, {format_duration(elapsed)} so far" + (
        "" if left is None else f", about {format_duration(left)} left"
    )


def fit(text: str, width: int) -> str:
    """The status line cut to the terminal's width (a wrapped line cannot be redrawn in place)."""
    return text if len(text) < width else text[: max(width - 2, 0)] + "…"


# What the watcher reads from the event log.


@dataclass(frozen=True)
class RunStarted:
    at: float


@dataclass(frozen=True)
class StepStarted:
    step: str
    at: float


@dataclass(frozen=True)
class StepEnded:
    step: str
    outcome: Literal["done", "failed", "skipped"]
    at: float


@dataclass(frozen=True)
class CheckEvaluated:
    step: str
    check: str
    passed: bool


@dataclass(frozen=True)
class SeriesProgress:
    step: str
    progress: SeriesDone
    at: float


@dataclass(frozen=True)
class Warned:
    message: str
    at: float


@dataclass(frozen=True)
class RunEnded:
    outcome: Literal["succeeded", "failed", "canceled"]
    at: float


Observation = RunStarted | StepStarted | StepEnded | CheckEvaluated | SeriesProgress | Warned | RunEnded

_EVENTS = {
    dg.DagsterEventType.RUN_START: lambda e: RunStarted(e.timestamp),
    dg.DagsterEventType.STEP_START: lambda e: StepStarted(e.step_key, e.timestamp),
    dg.DagsterEventType.STEP_SUCCESS: lambda e: StepEnded(e.step_key, "done", e.timestamp),
    dg.DagsterEventType.STEP_FAILURE: lambda e: StepEnded(e.step_key, "failed", e.timestamp),
    dg.DagsterEventType.STEP_SKIPPED: lambda e: StepEnded(e.step_key, "skipped", e.timestamp),
    dg.DagsterEventType.ASSET_CHECK_EVALUATION: lambda e: CheckEvaluated(
        e.step_key or "", e.dagster_event.asset_check_evaluation_data.check_name,
        e.dagster_event.asset_check_evaluation_data.passed,
    ),
    dg.DagsterEventType.RUN_SUCCESS: lambda e: RunEnded("succeeded", e.timestamp),
    dg.DagsterEventType.RUN_FAILURE: lambda e: RunEnded("failed", e.timestamp),
    dg.DagsterEventType.RUN_CANCELED: lambda e: RunEnded("canceled", e.timestamp),
}  # fmt: skip


# How Dagster 1.13 logs a step it does not run because a step before it failed
# (`dagster._core.execution.plan.active`); should the text change, these show as warnings.
_ABANDONED = re.compile(r"^Dependencies for step \S+ .*Not executing\.$", re.DOTALL)


def observe(entry: dg.EventLogEntry) -> Observation | None:
    """What an event log entry tells about the run's progress, if anything."""
    if entry.dagster_event is not None:
        read = _EVENTS.get(entry.dagster_event_type)
        return read(entry) if read else None
    progress = parse_progress(entry.user_message)
    if progress is not None:
        return SeriesProgress(entry.step_key or "", progress, entry.timestamp)
    if entry.step_key and _ABANDONED.match(entry.user_message):
        return StepEnded(entry.step_key, "skipped", entry.timestamp)
    # Warnings go to the event log only (the console logger is at CRITICAL): a step waiting for the
    # warehouse pool says here who holds it.
    return Warned(entry.user_message, entry.timestamp) if entry.level >= logging.WARNING else None


@dataclass
class _Segment:
    progress: SeriesDone
    began: float
    at: float
    told: int = -1


@dataclass
class RunProgress:
    """The run as far as the event log has told it, and the lines it makes (no I/O: testable)."""

    label: str
    mode: Mode
    run_id: str = ""
    steps: int | None = None
    started: float | None = None
    running: dict[str, float] = field(default_factory=dict)
    told_long: set[str] = field(default_factory=set)
    ended: int = 0
    failed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    passed_checks: dict[str, int] = field(default_factory=dict)
    failed_checks: dict[str, list[str]] = field(default_factory=dict)
    segments: dict[str, _Segment] = field(default_factory=dict)
    last_progress: float | None = None
    outcome: str | None = None

    def feed(self, seen: Observation) -> list[str]:
        """The lines to print for what was seen."""
        match seen:
            case RunStarted(at):
                self.started = at
                steps = f": {self.steps} step{'s' if self.steps > 1 else ''}" if self.steps else ""
                return [stamped(at, self.label, f"run {self.run_id[:8]} started{steps}")]
            case StepStarted(step, at):
                self.running[step] = at
            case CheckEvaluated(step, check, passed):
                if passed:
                    self.passed_checks[step] = self.passed_checks.get(step, 0) + 1
                else:
                    self.failed_checks.setdefault(step, []).append(check)
            case SeriesProgress():
                return self._series(seen)
            case StepEnded(step, "skipped", _):
                self.skipped.append(step)
            case StepEnded(step, outcome, at):
                began = self.running.pop(step, at)
                self.ended += 1
                if outcome == "failed":
                    self.failed.append(step)
                passed, failed = self.passed_checks.get(step, 0), tuple(self.failed_checks.get(step, ()))
                return [stamped(at, self.label, step_end_text(step, outcome, at - began, passed, failed))]
            case Warned(message, at):
                return [stamped(at, self.label, f"warning: {message}")]
            case RunEnded(outcome, at):
                self.outcome = outcome
                return self._run_end(outcome, at)
        return []

    def tick(self, now: float) -> list[str]:
        """Plain mode: a line for each step that has run long without a line yet."""
        if self.mode != "plain":
            return []
        lines = []
        for step, began in self.running.items():
            if now - began >= LONG_STEP_SECONDS and step not in self.told_long:
                self.told_long.add(step)
                since = time.strftime("%H:%M:%S", time.localtime(began))
                lines.append(stamped(now, self.label, f"{step:<{STEP_WIDTH}} running since {since}"))
        return lines

    def status(self, now: float, width: int, unicode: bool = True) -> str:
        """Bar mode: the one line redrawn in place."""
        if self.started is None:
            return fit(f"{self.label} waiting for the run to start", width)
        segment = self._current_segment()
        if segment is not None:
            progress = segment.progress
            left = eta_seconds(progress.done, progress.total, segment.at - segment.began)
            eta = "" if left is None else f", about {format_duration(max(left - (now - segment.at), 0))} left"
            text = (
                f"{self.label} {bar(progress.done / max(progress.total, 1), unicode=unicode)}"
                f" forecast {progress.segment} {progress.done:,}/{progress.total:,} series"
                f" ({progress.done / max(progress.total, 1):.0%}), {format_duration(now - segment.began)}{eta}"
            )
            return fit(text, width)
        done = f"{self.ended}/{self.steps}" if self.steps else str(self.ended)
        text = f"{self.label} +{format_duration(now - self.started)} {done} steps done"
        if self.running:
            oldest = min(self.running.values())
            text += f"; running {', '.join(self.running)} ({format_duration(now - oldest)})"
        return fit(text, width)

    def _series(self, seen: SeriesProgress) -> list[str]:
        progress, at = seen.progress, seen.at
        # The segments run one after the other: each begins when the one before told its last chunk.
        began = self.last_progress if self.last_progress is not None else self.running.get(seen.step, at)
        segment = self.segments.setdefault(progress.segment, _Segment(progress, began, at))
        segment.progress, segment.at = progress, at
        self.last_progress = at
        elapsed = at - segment.began
        finished = progress.done >= progress.total
        if self.mode == "bar" and not finished:
            return []
        if self.mode == "plain" and tenth(progress.done, progress.total) <= segment.told:
            return []
        segment.told = tenth(progress.done, progress.total)
        return [
            stamped(at, self.label, series_text(progress, elapsed, eta_seconds(progress.done, progress.total, elapsed)))
        ]

    def _current_segment(self) -> _Segment | None:
        newest = max(self.segments.values(), key=lambda segment: segment.at, default=None)
        if newest is None or newest.progress.done >= newest.progress.total or not self.running:
            return None
        return newest

    def _run_end(self, outcome: str, at: float) -> list[str]:
        took = format_duration(at - self.started) if self.started is not None else "?"
        lines = []
        if self.skipped:
            skipped = ", ".join(self.skipped)
            lines.append(
                stamped(at, self.label, f"skipped (an upstream step failed or its check did not pass): {skipped}")
            )
        if outcome == "succeeded":
            lines.append(stamped(at, self.label, f"run succeeded in {took} ({self.ended} steps)"))
        else:
            counts = (
                f"{self.ended - len(self.failed)} steps done, {len(self.failed)} failed, {len(self.skipped)} skipped"
            )
            lines.append(stamped(at, self.label, f"run {outcome} after {took}: {counts}"))
        return lines


class RunWatcher:
    """Shows a run's progress while `execute_job` runs it: use as `with RunWatcher(...): execute_job(...)`.

    The run is the newest run of the job for the month that was not there when the watcher began."""

    def __init__(
        self,
        instance: dg.DagsterInstance,
        job_name: str,
        label: str,
        stream: TextIO | None = None,
        mode: Mode | None = None,
    ) -> None:
        self.instance = instance
        self.filters = dg.RunsFilter(job_name=job_name, tags={"dagster/partition": label})
        self.stream = stream or sys.stderr
        self.progress = RunProgress(label, mode or progress_mode(self.stream))
        self.unicode = "utf" in (getattr(self.stream, "encoding", None) or "").lower()
        self.cursor: str | None = None
        self.before: str | None = None
        self.drawn = False
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._follow, name=f"sop-run progress {label}", daemon=True)

    def __enter__(self) -> RunWatcher:
        try:
            self.before = self._newest_run_id()
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
            run_id = self._newest_run_id()
            if run_id is None or run_id == self.before:
                self._draw()
                return
            self.progress.run_id = run_id
            self.progress.steps = self._step_count(run_id)
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

    def _newest_run_id(self) -> str | None:
        runs = self.instance.get_runs(filters=self.filters, limit=1)
        return runs[0].run_id if runs else None

    def _step_count(self, run_id: str) -> int | None:
        run = self.instance.get_run_by_id(run_id)
        if run is None or run.execution_plan_snapshot_id is None:
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
