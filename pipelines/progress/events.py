"""What the watcher reads from a run's event log: the entries that tell the run's progress, as
observations the display takes in."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Literal

import dagster as dg

from sop.forecast.progress import SeriesDone, parse_progress


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
    warned: bool = False
    """Did not pass, at severity WARN: the step goes on."""


@dataclass(frozen=True)
class SeriesProgress:
    """A forecast progress line: INFO about every tenth of a segment, DEBUG in between."""

    step: str
    series: SeriesDone
    level: int
    at: float


@dataclass(frozen=True)
class Logged:
    """A warning or an error the run logged."""

    level: int
    message: str
    at: float


@dataclass(frozen=True)
class RunEnded:
    outcome: Literal["succeeded", "failed", "canceled"]
    at: float


Observation = RunStarted | StepStarted | StepEnded | CheckEvaluated | SeriesProgress | Logged | RunEnded


def _check_evaluated(step: str, evaluation: dg.AssetCheckEvaluation) -> CheckEvaluated:
    warned = not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.WARN
    return CheckEvaluated(step, evaluation.check_name, evaluation.passed, warned)


_EVENTS = {
    dg.DagsterEventType.RUN_START: lambda e: RunStarted(e.timestamp),
    dg.DagsterEventType.STEP_START: lambda e: StepStarted(e.step_key, e.timestamp),
    dg.DagsterEventType.STEP_SUCCESS: lambda e: StepEnded(e.step_key, "done", e.timestamp),
    dg.DagsterEventType.STEP_FAILURE: lambda e: StepEnded(e.step_key, "failed", e.timestamp),
    dg.DagsterEventType.STEP_SKIPPED: lambda e: StepEnded(e.step_key, "skipped", e.timestamp),
    dg.DagsterEventType.ASSET_CHECK_EVALUATION: lambda e: _check_evaluated(
        e.step_key or "", e.dagster_event.asset_check_evaluation_data
    ),
    dg.DagsterEventType.RUN_SUCCESS: lambda e: RunEnded("succeeded", e.timestamp),
    dg.DagsterEventType.RUN_FAILURE: lambda e: RunEnded("failed", e.timestamp),
    dg.DagsterEventType.RUN_CANCELED: lambda e: RunEnded("canceled", e.timestamp),
}  # fmt: skip


# How Dagster 1.13 logs a step it does not run because a step before it failed
# (`dagster._core.execution.plan.active`); should the text change, these show as errors.
_ABANDONED = re.compile(r"^Dependencies for step \S+ .*Not executing\.$", re.DOTALL)


def observe(entry: dg.EventLogEntry) -> Observation | None:
    """What an event log entry tells about the run's progress, if anything."""
    if entry.dagster_event is not None:
        read = _EVENTS.get(entry.dagster_event_type)
        return read(entry) if read else None
    series = parse_progress(entry.user_message)
    if series is not None:
        return SeriesProgress(entry.step_key or "", series, entry.level, entry.timestamp)
    if entry.step_key and _ABANDONED.match(entry.user_message):
        return StepEnded(entry.step_key, "skipped", entry.timestamp)
    # Warnings and errors go to the event log only (the console logger is at CRITICAL): a step waiting
    # for the warehouse pool says here who holds it, a failed audit check what it found.
    if entry.level >= logging.WARNING:
        return Logged(entry.level, entry.user_message, entry.timestamp)
    return None
