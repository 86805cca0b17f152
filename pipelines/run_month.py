"""`sop-run`: one full monthly run from the command line, on sample data when no extracts exist;
`sop-run approve` and `sop-run reopen`: the meeting's plan of record.

It runs the same job the schedule runs, with the same executor, in this process, recorded in the
Dagster instance of DAGSTER_HOME (`data/dagster/` by default), so the run also shows in `dagster dev`.
The plan months before it that have extracts but no published plan run first (`--history`, 3 by
default): forecast accuracy judges the forecasts those months published.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import sys
import textwrap
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import dagster as dg
import polars as pl
from filelock import FileLock

from pipelines.definitions import defs
from pipelines.jobs import MONTHLY_JOB
from pipelines.partitions import first_plan_month
from pipelines.plan_of_record import APPROVE_JOB, REOPEN_JOB
from pipelines.progress import RunWatcher
from pipelines.resources import SopStorage
from pipelines.run_health import recover_dead_runs
from sop.core import DATA_DIR, PROJECT_ROOT, add_months, connect, month_label, parse_month, tables
from sop.core.settings import SETTINGS_VARIABLE, SettingsError
from sop.decisions import MonthApprovedError, refuse_if_approved
from sop.publish import approved_path, is_published, pack_path
from sop.report import accuracy_summary, decision_summary, family_summary, plan_settings, read_report
from sop.sample_data import SampleSpec, write_sample_extracts

if TYPE_CHECKING:
    from dagster_shared.error import SerializableErrorInfo


ENVIRONMENT = (
    "SOP_EXTRACTS_DIR",
    "SOP_WAREHOUSE",
    "SOP_EXPORT_DIR",
    SETTINGS_VARIABLE,
    "SOP_DATA_DOCS",
    "SOP_DASK_SCHEDULER",
)
"""The variables a run reads its folders and settings from; DAGSTER_HOME names its instance."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=(
            "One full monthly S&OP run, on generated sample data where the month has no extracts;"
            " or, with approve and reopen, the meeting's plan of record."
        ),
        epilog=f"Environment: {', '.join(ENVIRONMENT)} and DAGSTER_HOME (see the README).",
    )
    parser.add_argument(
        "--month", type=_month, default=month_label(date.today()), help="plan month YYYY-MM (default: this month)"
    )
    parser.add_argument(
        "--history", type=_count, default=3, help="earlier plan months to run first if unpublished (default: 3)"
    )
    parser.add_argument(
        "--config", help="the planners' settings file (default: SOP_CONFIG, else ./sop.toml, else the defaults)"
    )
    commands = parser.add_subparsers(dest="command", title="the plan of record (instead of a run)")
    approve = commands.add_parser("approve", help="approve a month's published plan: it becomes the plan of record")
    approve.add_argument("--month", type=_month, required=True, help="plan month YYYY-MM")
    approve.add_argument("--by", required=True, help="who approves it")
    approve.add_argument("--note", default="", help="what the meeting said with its approval")
    reopen = commands.add_parser("reopen", help="reopen an approved month so that it can run again")
    reopen.add_argument("--month", type=_month, required=True, help="plan month YYYY-MM")
    reopen.add_argument("--reason", required=True, help="why it is planned again")
    reopen.add_argument("--by", default="", help="who reopens it (default: your login name)")
    args = parser.parse_args(argv)
    plan_month = parse_month(args.month)
    label = month_label(plan_month)
    home = dagster_home()
    storage = SopStorage.from_env(args.config)
    paths = storage.paths
    try:
        storage.settings  # noqa: B018 - a bad file stops here, before anything is written
    except SettingsError as error:
        print(error, file=sys.stderr)
        return 2
    if args.command:
        return _plan_of_record(args, plan_month, storage, home)
    try:
        refuse_if_approved(paths.warehouse, paths.export_dir, plan_month)
    except MonthApprovedError as frozen:
        print(frozen, file=sys.stderr)
        return 1
    first = parse_month(first_plan_month(storage.settings, paths.extracts_dir))
    earlier = [add_months(plan_month, -offset) for offset in range(args.history, 0, -1)]
    earlier = [month for month in earlier if month >= first]

    if not (paths.extracts_dir / label).exists():
        # One anchor for all months: the generated company is the same in each of them.
        spec = SampleSpec(anchor_month=label)
        for month in [*earlier, plan_month]:
            if not (paths.extracts_dir / month_label(month)).exists():
                write_sample_extracts(paths.extracts_dir, month, spec)
        print(f"No extracts for {label}: wrote generated sample extracts to {paths.extracts_dir}")

    with open_instance(home) as instance:
        for dead in recover_dead_runs(instance):
            print(dead.notice())
        for month in earlier:
            if (paths.extracts_dir / month_label(month)).exists() and not _published(storage, month):
                print(f"Running {month_label(month)} first (no published plan to judge its forecast by)")
                _report(_run(month, storage, instance), month_label(month))
        result = _run(plan_month, storage, instance)
    if not _report(result, label):
        return 1
    for changed in _settings_changes(result):
        print(f"Settings changed since {label} was last published: {changed}")

    # A run of this month that waited for this one may be writing the warehouse already: wait for it.
    with connect(paths.warehouse, read_only=True) as con:
        summary = family_summary(con, plan_month)
        accuracy = accuracy_summary(con, plan_month)
        decisions = decision_summary(con, plan_month)
        episodes = read_report(con, tables.RISK_EPISODES, plan_month).height
        currency = plan_settings(con, plan_month)["currency"]
    table_style = {"tbl_hide_dataframe_shape": True, "tbl_width_chars": 160, "thousands_separator": ","}
    with pl.Config(tbl_rows=-1, tbl_cols=-1, fmt_str_lengths=80, **table_style):
        print(
            f"\nS&OP plan {label}: {summary.height} product families over the horizon"
            " (demand: the statistical forecast, and the consensus of the demand review the plan runs on)"
        )
        print(summary)
        if accuracy.is_empty():
            print("\nForecast accuracy: no earlier forecast to judge yet.")
        else:
            print("\nForecast accuracy over the trailing months, in percent (FVA: value added over seasonal naive)")
            print(accuracy)
        print(
            f"\nDecisions needed this month, money at stake in {currency} (the pack's first page; {episodes} risks"
            " in the register: views meeting_decisions, meeting_risks)"
        )
        print(decisions.drop("suggested_action").with_row_index("#", offset=1))
        # Whole sentences: a table column would cut them where a planner needs them.
        for number, action in enumerate(decisions["suggested_action"], start=1):
            print(
                textwrap.fill(
                    action, 110, initial_indent=f"{number:>3}. ", subsequent_indent="     ", break_on_hyphens=False
                )
            )
    print(
        f"\nOutputs\n  DuckDB warehouse: {paths.warehouse}"
        "\n    tables consolidated_plan, plan_changes, financial_outlook, risk_register, sku_forecast, family_forecast,"
        " forecast_backtest, forecast_accuracy(_summary), forecast_value_added, demand_plan, demand_adjustments,"
        " action_log, plan_approvals (approved.<table>: each approval's copy);"
        " views meeting_*, latest_plan, plan_status, data_dictionary"
        f"\n  S&OP pack:        {pack_path(paths.export_dir, plan_month)}"
        f"\n  Parquet export:   {paths.export_dir}/<table>/plan_month={plan_month.isoformat()}/data.parquet"
        + (f"\n  Data docs:        {paths.data_docs_dir / 'index.html'}" if storage.data_docs else "")
        + f"\n  Dagster UI:       {_ui_command(home, args.config)}"
        f"\n\nPlan month {label} is a draft until the meeting approves it:"
        f" uv run sop-run approve --month {label} --by NAME"
    )
    return 0


def _month(text: str) -> str:
    try:
        return month_label(parse_month(text))
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _count(text: str) -> int:
    if not text.isdecimal():
        raise argparse.ArgumentTypeError(f"a whole number of months, 0 or more (got {text!r})")
    return int(text)


def _ui_command(home: Path, config: str | None) -> str:
    """The command that opens the Dagster UI on this run's instance, folders and settings."""
    variables = {name: os.environ[name] for name in ENVIRONMENT if os.environ.get(name)}
    if config:
        variables[SETTINGS_VARIABLE] = str(Path(config).resolve())
    variables["DAGSTER_HOME"] = str(home)
    return (
        " ".join(f"{name}={shlex.quote(value)}" for name, value in variables.items())
        + " uv run dagster dev -m pipelines"
    )


def dagster_home() -> Path:
    """The instance's folder: DAGSTER_HOME, or `data/dagster/` holding a copy of the project's
    `dagster.yaml` (kept up to date, as the folder is this command's own)."""
    if os.environ.get("DAGSTER_HOME"):  # an empty one (`DAGSTER_HOME= sop-run`) is none
        home = Path(os.environ["DAGSTER_HOME"])
        if not home.is_absolute():
            sys.exit(f"DAGSTER_HOME={home} is a relative path: Dagster needs an absolute one ({home.resolve()}?).")
        if not (home / "dagster.yaml").is_file():
            sys.exit(f"DAGSTER_HOME={home} holds no dagster.yaml: copy {PROJECT_ROOT / 'dagster.yaml'} there.")
        return home
    home = DATA_DIR / "dagster"
    home.mkdir(parents=True, exist_ok=True)
    config = PROJECT_ROOT / "dagster.yaml"
    if not (home / "dagster.yaml").is_file() or (home / "dagster.yaml").read_bytes() != config.read_bytes():
        shutil.copyfile(config, home / "dagster.yaml")
    os.environ["DAGSTER_HOME"] = str(home)
    return home


def open_instance(home: Path) -> dg.DagsterInstance:
    """The instance of DAGSTER_HOME, opened by one `sop-run` at a time: the first command to open a
    new instance creates its SQLite storages, and two creating them at once both stamp their schema
    version, after which Dagster refuses every command on that instance ('more than one head')."""
    with FileLock(home / ".sop-run.lock"):
        return dg.DagsterInstance.get()


def monthly_job() -> dg.JobDefinition:
    return defs.resolve_job_def(MONTHLY_JOB)


def _run(month: date, storage: SopStorage, instance: dg.DagsterInstance) -> dg.JobExecutionResult:
    """Runs the month; its steps and the forecast's progress show on stderr as they go."""
    sys.stdout.flush()  # what was printed before comes first in a log file holding both streams
    with RunWatcher(instance, month_label(month)) as watcher:
        return dg.execute_job(
            dg.reconstructable(monthly_job),
            instance,
            tags={"dagster/partition": month_label(month), **watcher.tags},
            run_config=_run_config(storage),
        )


def _run_config(storage: SopStorage) -> dict:
    return {
        # The paths as the environment names them now, which the definitions read when first imported.
        "resources": {"storage": {"config": storage.model_dump()}},
        # The full event log stays in the instance (dagster dev); here, only what to act on.
        "loggers": {"console": {"config": {"log_level": "CRITICAL"}}},
    }


def _plan_of_record(args: argparse.Namespace, plan_month: date, storage: SopStorage, home: Path) -> int:
    """Runs the job approve_plan or reopen_plan in this process, recorded in the instance."""
    if not storage.paths.warehouse.is_file():  # DuckDB would create an empty one to refuse in
        print(f"{storage.paths.warehouse}: no warehouse yet, so no plan to {args.command}.", file=sys.stderr)
        return 1
    if args.command == "approve":
        job, config = APPROVE_JOB, {"approve_month": {"month": args.month, "by": args.by, "note": args.note}}
    else:
        job, config = REOPEN_JOB, {"reopen_month": {"month": args.month, "reason": args.reason, "by": args.by}}
    with open_instance(home) as instance:
        result = defs.resolve_job_def(job).execute_in_process(
            run_config=_run_config(storage) | {"ops": {op: {"config": values} for op, values in config.items()}},
            instance=instance,
            raise_on_error=False,
        )
    if not result.success:
        _print_failures(result)
        return 1
    label = month_label(plan_month)
    export_dir = storage.paths.export_dir
    with connect(storage.paths.warehouse, read_only=True) as con:
        status = read_report(con, tables.PLAN_STATUS, plan_month).row(0, named=True)
    if args.command == "approve":
        print(
            f"Plan month {label} is the plan of record: approved by {status['approved_by']} on"
            f" {status['approved_at']:%Y-%m-%d %H:%M} UTC (approval {status['approval']}, fingerprint"
            f" {status['fingerprint']}). Runs of {label} now stop until it is reopened."
            f"\n  Approved copy: tables approved.<table> where approval = {status['approval']};"
            f" {approved_path(export_dir, '<table>', plan_month, status['approval'])}"
            f"\n  S&OP pack:     {pack_path(export_dir, plan_month)}"
        )
    else:
        print(
            f"Plan month {label} is reopened ({status['reopen_reason']}): a draft again, which a run may replace."
            f" Its approval {status['approval']} stays readable (approved.<table>,"
            f" {approved_path(export_dir, '<table>', plan_month, status['approval']).parent}/)."
        )
    return 0


def _settings_changes(result: dg.JobExecutionResult) -> list[str]:
    """What the run's plan step found changed in the settings since the month's published version."""
    for event in result.get_asset_materialization_events():
        materialization = event.step_materialization_data.materialization
        if materialization.asset_key.to_user_string() == tables.CONSOLIDATED_PLAN:
            return list(materialization.metadata["settings_changed"].value)
    return []


def _report(result: dg.JobExecutionResult, label: str) -> bool:
    """Prints what to fix when the run failed; returns whether it succeeded."""
    _print_failures(result)
    if not result.success:
        print(f"\nThe {label} run failed; nothing new was published. See the messages above.", file=sys.stderr)
    return result.success


def _print_failures(result: dg.JobExecutionResult | dg.ExecuteInProcessResult) -> None:
    if not result.success and not result.get_step_failure_events():
        # The run stopped before its first step: in its resources (a signal while it waited for its month, say).
        for event in result.filter_events(lambda event: event.event_type == dg.DagsterEventType.RUN_FAILURE):
            if event.job_failure_data.error is not None:
                print(
                    f"The run stopped before its first step: {_raised(event.job_failure_data.error)}", file=sys.stderr
                )
    for event in result.get_step_failure_events():
        failure = event.step_failure_data
        if failure.error and failure.error.cls_name == "DagsterAssetCheckFailedError":
            continue  # the check's own report follows
        reason = failure.user_failure_data.description if failure.user_failure_data else _raised(failure.error)
        print(f"{event.step_key} failed: {reason}", file=sys.stderr)
    for evaluation in result.get_asset_check_evaluations():
        if not evaluation.passed:
            report = evaluation.metadata.get("report")
            print(report.value if report else evaluation.check_name, file=sys.stderr)


def _raised(error: SerializableErrorInfo) -> str:
    """What the step's own code raised: Dagster reports it as the cause of an error of its own."""
    while error.cause is not None:
        error = error.cause
    if error.cls_name == "DagsterExecutionInterruptedError":
        return "a signal (Ctrl-C or SIGTERM) stopped the run."
    return error.message.strip()


def _published(storage: SopStorage, month: date) -> bool:
    with storage.connect() as con:
        return is_published(con, month)


if __name__ == "__main__":
    sys.exit(main())
