"""The run as its event log has told it so far, and the lines that show it: plain lines with the time
of day, and the status line a terminal redraws in place. No I/O, so that tests can feed it."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Literal

from pipelines.progress.events import (
    CheckEvaluated,
    Logged,
    Observation,
    RunEnded,
    RunStarted,
    SeriesProgress,
    StepEnded,
    StepStarted,
)
from sop.forecast.progress import SeriesDone, format_duration

Mode = Literal["bar", "plain"]

LONG_STEP_SECONDS = 10.0
"""A step still running after this long gets a line of its own (in plain mode)."""
STEP_WIDTH = 21  # "forecast intermittent"
BAR_WIDTH = 20


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


def step_end_text(
    step: str,
    outcome: str,
    seconds: float,
    passed: int = 0,
    failed: tuple[str, ...] = (),
    warned: tuple[str, ...] = (),
) -> str:
    """`stg_sales          done in 0.9s, 4 checks passed`; a check that failed or warned is named."""
    verb = "done in" if outcome == "done" else "FAILED after"
    text = f"{step:<{STEP_WIDTH}} {verb} {format_duration(seconds)}"
    if passed:
        text += f", {passed} check{'s' if passed > 1 else ''} passed"
    for said, checks in (("warned", warned), ("failed", failed)):
        if checks:
            text += f", check{'s' if len(checks) > 1 else ''} {said}: {', '.join(checks)}"
    return text


def series_text(series: SeriesDone) -> str:
    """`forecast regular      256 of 996 series (26%), 11s so far, about 31s left`: the forecast's own
    line, its segment in the column of the steps' names."""
    return f"{'forecast ' + series.segment:<{STEP_WIDTH}} {series.told}"


def fit(text: str, width: int) -> str:
    """The status line cut to the terminal's width (a wrapped line cannot be redrawn in place)."""
    return text if len(text) < width else text[: max(width - 2, 0)] + "…"


@dataclass
class RunProgress:
    """The run as far as the event log has told it, and the lines it makes."""

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
    warned_checks: dict[str, list[str]] = field(default_factory=dict)
    forecast: SeriesProgress | None = None
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
            case CheckEvaluated(step, check, passed, warned):
                if passed:
                    self.passed_checks[step] = self.passed_checks.get(step, 0) + 1
                else:
                    (self.warned_checks if warned else self.failed_checks).setdefault(step, []).append(check)
            case SeriesProgress(_, series, level, at):
                self.forecast = seen
                # The forecast decides how often it tells: plain lines take its INFO lines (about every
                # tenth) and leave the DEBUG ones between them to the bar, which prints a segment's end.
                shown = series.finished if self.mode == "bar" else level >= logging.INFO
                return [stamped(at, self.label, series_text(series))] if shown else []
            case StepEnded(step, "skipped", _):
                self.skipped.append(step)
            case StepEnded(step, outcome, at):
                began = self.running.pop(step, at)
                self.ended += 1
                if outcome == "failed":
                    self.failed.append(step)
                passed, failed = self.passed_checks.get(step, 0), tuple(self.failed_checks.get(step, ()))
                warned = tuple(self.warned_checks.get(step, ()))
                return [stamped(at, self.label, step_end_text(step, outcome, at - began, passed, failed, warned))]
            case Logged(level, message, at):
                return [stamped(at, self.label, f"{logging.getLevelName(level).lower()}: {message}")]
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
        """Bar mode: the one line redrawn in place; the forecast's part is its last line as logged."""
        if self.started is None:
            return fit(f"{self.label} waiting for the run to start", width)
        text = f"{self.label} +{format_duration(now - self.started)}"
        forecast = self.forecast
        if forecast is not None and forecast.step in self.running and not forecast.series.finished:
            series = forecast.series
            fraction = series.done / max(series.total, 1)
            return fit(f"{text} {bar(fraction, unicode=unicode)} forecast {series.segment} {series.told}", width)
        text += f" {self.ended}/{self.steps} steps done" if self.steps else f" {self.ended} steps done"
        if self.running:
            oldest = min(self.running.values())
            text += f"; running {', '.join(self.running)} ({format_duration(now - oldest)})"
        return fit(text, width)

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
