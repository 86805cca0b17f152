"""What `sop-run` shows while a month runs: the lines, the progress bar, the forecast's progress as the
forecast logged it, and a watcher that follows its own run's event log and never stops the run."""

import io
import logging
import time

import dagster as dg
import pytest

from pipelines.progress import RunWatcher
from pipelines.progress.display import RunProgress, bar
from pipelines.progress.events import (
    CheckEvaluated,
    Logged,
    RunEnded,
    RunStarted,
    SeriesProgress,
    StepEnded,
    StepStarted,
    observe,
)
from pipelines.progress.watcher import progress_mode
from sop.forecast.progress import (
    ProgressLog,
    SeriesDone,
    eta_seconds,
    format_duration,
    parse_progress,
    progress_message,
)

T0 = time.mktime((2026, 11, 3, 6, 0, 0, 0, 0, -1))
"""06:00:00 local time, as the lines show it."""


def texts(lines: list[str]) -> list[str]:
    """The lines without their time of day."""
    return [line.split(" ", 1)[1] for line in lines]


class Stream(io.StringIO):
    def __init__(self, terminal: bool) -> None:
        super().__init__()
        self.terminal = terminal

    def isatty(self) -> bool:
        return self.terminal


def told_by_the_forecast(calls: list[tuple[float, str, int, int]], began: float = 0.0) -> list[SeriesProgress]:
    """What the forecast logs for its calls (seconds after T0, segment, done, total), as the watcher
    reads it back from the event log."""
    now, told = [began], []

    class Log:
        def info(self, msg: str) -> None:
            told.append(SeriesProgress("baseline_forecast", parse_progress(msg), logging.INFO, T0 + now[0]))

        def debug(self, msg: str) -> None:
            told.append(SeriesProgress("baseline_forecast", parse_progress(msg), logging.DEBUG, T0 + now[0]))

    progress = ProgressLog(Log(), clock=lambda: now[0])
    for now[0], segment, done, total in calls:
        progress(segment, done, total)
    return told


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [(0.04, "0.0s"), (0.4, "0.4s"), (9.94, "9.9s"), (42.4, "42s"), (245, "4m05s"), (3725, "1h02m"), (-1, "0.0s")],
)
def test_durations_read_short_at_every_scale(seconds: float, shown: str) -> None:
    assert format_duration(seconds) == shown


def test_the_time_left_comes_from_the_rate_so_far() -> None:
    assert eta_seconds(0, 100, 5.0) is None
    assert eta_seconds(10, 100, 0.0) is None
    assert eta_seconds(25, 100, 30.0) == 90.0
    assert eta_seconds(100, 100, 30.0) == 0.0


def test_a_terminal_gets_a_bar_and_a_log_file_or_ci_gets_plain_lines() -> None:
    assert progress_mode(Stream(terminal=True), {"TERM": "xterm-256color"}) == "bar"
    assert progress_mode(Stream(terminal=False), {}) == "plain"
    assert progress_mode(Stream(terminal=True), {"CI": "true"}) == "plain"
    assert progress_mode(Stream(terminal=True), {"CI": "false"}) == "bar"
    assert progress_mode(Stream(terminal=True), {"TERM": "dumb"}) == "plain"
    assert progress_mode(object(), {}) == "plain"  # type: ignore[arg-type]


def test_the_bar_fills_in_eighths_of_a_cell() -> None:
    assert bar(0.0, width=4) == "[    ]"
    assert bar(0.5, width=4) == "[██  ]"
    assert bar(0.53, width=4) == "[██▏ ]"
    assert bar(1.2, width=4) == "[████]"
    assert bar(0.5, width=4, unicode=False) == "[##--]"


def test_a_forecast_progress_line_reads_back_as_numbers_and_its_text() -> None:
    message = progress_message("intermittent", 640, 6400, 30.0)
    assert message == "forecast intermittent: 640 of 6,400 series (10%), 30s so far, about 4m30s left"
    assert parse_progress(message) == SeriesDone(
        "intermittent", 640, 6400, "640 of 6,400 series (10%), 30s so far, about 4m30s left"
    )
    assert parse_progress("forecast regular: 6400 of 6400 series (100%) in 5m00s") == SeriesDone(
        "regular", 6400, 6400, "6400 of 6400 series (100%) in 5m00s"
    )
    assert parse_progress("forecast of 12 months written") is None


def test_the_forecast_log_tells_between_tenths_at_most_every_15_seconds_in_debug() -> None:
    told = told_by_the_forecast(
        [
            (at, "regular", done, 10000)
            for at, done in ((20.0, 1000), (30.0, 1100), (36.0, 1200), (40.0, 1300), (60.0, 1400))
        ]
    )
    assert [seen.level for seen in told] == [logging.INFO, logging.DEBUG, logging.DEBUG]
    assert told[1].series.told == "1,200 of 10,000 series (12%), 36s so far, about 4m24s left"


def plain_run() -> RunProgress:
    progress = RunProgress("2026-11", "plain", run_id="39a557c5-aaaa", steps=23)
    progress.feed(RunStarted(T0))
    return progress


def test_each_step_shows_as_it_ends_with_its_time_and_its_checks() -> None:
    progress = RunProgress("2026-11", "plain", run_id="39a557c5-aaaa", steps=23)
    assert progress.feed(RunStarted(T0)) == ["06:00:00 2026-11  run 39a557c5 started: 23 steps"]
    assert progress.feed(StepStarted("raw_sales", T0 + 0.1)) == []
    assert progress.feed(CheckEvaluated("raw_sales", "sales_expectations", passed=True)) == []
    assert progress.feed(StepEnded("raw_sales", "done", T0 + 2.0)) == [
        "06:00:02 2026-11  raw_sales             done in 1.9s, 1 check passed"
    ]
    progress.feed(StepStarted("raw_capacity", T0 + 2.0))
    progress.feed(CheckEvaluated("raw_capacity", "capacity_expectations", passed=False))
    assert texts(progress.feed(StepEnded("raw_capacity", "failed", T0 + 2.5))) == [
        "2026-11  raw_capacity          FAILED after 0.5s, check failed: capacity_expectations"
    ]
    progress.feed(StepStarted("stg_sales", T0 + 2.5))
    progress.feed(CheckEvaluated("stg_sales", "sales_history", passed=False, warned=True))
    assert texts(progress.feed(StepEnded("stg_sales", "done", T0 + 3.0))) == [
        "2026-11  stg_sales             done in 0.5s, check warned: sales_history"
    ]


def test_a_step_that_runs_long_says_so_once_in_plain_mode() -> None:
    progress = plain_run()
    progress.feed(StepStarted("sop_pack", T0 + 5))
    assert progress.tick(T0 + 14) == []
    assert progress.tick(T0 + 15) == ["06:00:15 2026-11  sop_pack              running since 06:00:05"]
    assert progress.tick(T0 + 60) == []
    bar_run = RunProgress("2026-11", "bar")
    bar_run.feed(StepStarted("sop_pack", T0))
    assert bar_run.tick(T0 + 60) == []


def test_plain_lines_show_the_forecasts_own_lines_about_every_tenth_and_skip_those_between() -> None:
    progress = plain_run()
    progress.feed(StepStarted("baseline_forecast", T0))
    regular = [
        (at, "regular", done, 50000)
        for at, done in ((50.0, 5000), (50.56, 5056), (70.0, 7000), (100.48, 10048), (499.84, 49984), (500.0, 50000))
    ]
    # The next segment's time starts when the one before ended.
    told = told_by_the_forecast([*regular, (510.0, "intermittent", 640, 6400)])
    assert [seen.level for seen in told] == [logging.INFO, logging.DEBUG] + [logging.INFO] * 4
    assert [texts(progress.feed(seen)) for seen in told] == [
        ["2026-11  forecast regular      5,000 of 50,000 series (10%), 50s so far, about 7m30s left"],
        [],
        ["2026-11  forecast regular      10,048 of 50,000 series (20%), 1m40s so far, about 6m40s left"],
        ["2026-11  forecast regular      49,984 of 50,000 series (100%), 8m20s so far, about 0.2s left"],
        ["2026-11  forecast regular      50,000 of 50,000 series (100%) in 8m20s"],
        ["2026-11  forecast intermittent 640 of 6,400 series (10%), 10s so far, about 1m30s left"],
    ]


def test_the_terminal_shows_one_status_line_with_a_bar_and_the_forecasts_last_line() -> None:
    progress = RunProgress("2026-11", "bar", run_id="39a557c5", steps=23)
    assert progress.status(T0, 80) == "2026-11 waiting for the run to start"
    progress.feed(RunStarted(T0))
    progress.feed(StepStarted("stg_sales", T0 + 1))
    assert progress.status(T0 + 3, 80) == "2026-11 +3.0s 0/23 steps done; running stg_sales (2.0s)"
    progress.feed(StepEnded("stg_sales", "done", T0 + 4))
    progress.feed(StepStarted("baseline_forecast", T0 + 10))
    tenth, between, end = told_by_the_forecast(
        [(40.0, "regular", 2500, 10000), (57.0, "regular", 2900, 10000), (130.0, "regular", 10000, 10000)], began=10.0
    )
    assert progress.feed(tenth) == progress.feed(between) == []  # the bar shows them
    assert progress.status(T0 + 60, 200) == (
        "2026-11 +1m00s [█████▊              ] forecast regular 2,900 of 10,000 series (29%), 47s so far,"
        " about 1m55s left"
    )
    assert len(progress.status(T0 + 60, 40)) == 39
    assert texts(progress.feed(end)) == ["2026-11  forecast regular      10,000 of 10,000 series (100%) in 2m00s"]
    assert progress.status(T0 + 131, 200).startswith("2026-11 +2m11s 1/23 steps done; running baseline_forecast")


def test_warnings_and_errors_show_by_their_level() -> None:
    progress = plain_run()
    assert progress.feed(Logged(logging.WARNING, "`stg_sales` waits for pool sop_warehouse: held by run …", T0)) == [
        "06:00:00 2026-11  warning: `stg_sales` waits for pool sop_warehouse: held by run …"
    ]
    assert texts(progress.feed(Logged(logging.ERROR, "audit_supply_within_capacity: 3 rows", T0))) == [
        "2026-11  error: audit_supply_within_capacity: 3 rows"
    ]


def test_the_run_end_names_the_skipped_steps_and_counts_the_failed() -> None:
    progress = plain_run()
    progress.feed(StepStarted("raw_capacity", T0))
    progress.feed(StepEnded("raw_capacity", "failed", T0 + 1))
    progress.feed(StepEnded("stg_capacity", "skipped", T0 + 2))
    progress.feed(StepEnded("consolidated_plan", "skipped", T0 + 2))
    assert texts(progress.feed(RunEnded("failed", T0 + 75))) == [
        "2026-11  skipped (an upstream step failed or its check did not pass): stg_capacity, consolidated_plan",
        "2026-11  run failed after 1m15s: 0 steps done, 1 failed, 2 skipped",
    ]
    assert progress.outcome == "failed"


def test_the_event_log_entries_that_tell_progress_are_read() -> None:
    def entry(message: str, level: int = 20, event: dg.DagsterEventType | None = None) -> dg.EventLogEntry:
        dagster_event = dg.DagsterEvent(event.value, "monthly_sop_plan", step_key="stg_sales") if event else None
        return dg.EventLogEntry(None, level, message, "run", T0, "stg_sales", "monthly_sop_plan", dagster_event)

    assert observe(entry("", event=dg.DagsterEventType.STEP_START)) == StepStarted("stg_sales", T0)
    assert observe(entry("", event=dg.DagsterEventType.STEP_SKIPPED)) == StepEnded("stg_sales", "skipped", T0)
    assert observe(entry("", event=dg.DagsterEventType.HANDLED_OUTPUT)) is None
    between = "forecast regular: 64 of 640 series (10%), 9.0s so far, about 1m21s left"
    assert observe(entry(between, level=10)) == SeriesProgress(
        "stg_sales", SeriesDone("regular", 64, 640, between.removeprefix("forecast regular: ")), 10, T0
    )
    assert observe(entry("wrote 12 rows")) is None
    assert observe(entry("waits for pool", level=30)) == Logged(30, "waits for pool", T0)
    assert observe(entry("audit found 3 rows", level=40)) == Logged(40, "audit found 3 rows", T0)
    abandoned = "Dependencies for step stg_sales failed: ['raw_sales']. Not executing."
    assert observe(entry(abandoned, level=40)) == StepEnded("stg_sales", "skipped", T0)


@dg.op
def forecast_step(context: dg.OpExecutionContext) -> None:
    context.log.debug("forecast regular: 5 of 10 series (50%), 0.1s so far, about 0.1s left")
    context.log.info("forecast regular: 10 of 10 series (100%) in 0.1s")


@dg.job(tags={"dagster/partition": "2026-11"})
def tiny_month() -> None:
    forecast_step()


def test_the_watcher_follows_its_own_run_to_its_end_not_another_of_the_month() -> None:
    stream = Stream(terminal=False)
    with dg.instance_for_test() as instance, RunWatcher(instance, "2026-11", stream=stream) as watcher:
        assert tiny_month.execute_in_process(instance=instance).success  # as a schedule's run would
        mine = tiny_month.execute_in_process(instance=instance, tags=watcher.tags)
    lines = texts(stream.getvalue().splitlines())
    assert len(lines) == 4
    assert lines[0] == f"2026-11  run {mine.run_id[:8]} started: 1 step"
    assert lines[1] == "2026-11  forecast regular      10 of 10 series (100%) in 0.1s"
    assert lines[2].startswith("2026-11  forecast_step         done in ")
    assert lines[3].startswith("2026-11  run succeeded in ")


def test_the_watcher_never_stops_a_run_and_stops_when_the_run_does() -> None:
    class Broken:
        def get_runs(self, **_: object) -> list:
            raise OSError("disk gone")

    stream = Stream(terminal=False)
    with RunWatcher(Broken(), "2026-11", stream=stream):  # type: ignore[arg-type]
        ran = True
    assert ran and stream.getvalue() == "(progress display stopped: OSError: disk gone)\n"

    with dg.instance_for_test() as instance:
        started = time.monotonic()
        with RunWatcher(instance, "2026-11", stream=stream) as watcher:
            pass  # no run was created
        assert time.monotonic() - started < 5 and not watcher.thread.is_alive()


def test_a_broken_terminal_stops_the_display_not_the_run() -> None:
    class Closed(Stream):
        def write(self, text: str) -> int:
            raise BrokenPipeError("terminal gone")

    with dg.instance_for_test() as instance:
        with RunWatcher(instance, "2026-11", stream=Closed(terminal=True), mode="bar") as watcher:
            assert tiny_month.execute_in_process(instance=instance, tags=watcher.tags).success
        assert not watcher.thread.is_alive()
