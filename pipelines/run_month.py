"""`sop-run`: one full monthly run from the command line, on sample data when no extracts exist.

It runs the same job the schedule runs, in this process, recorded in the Dagster instance of
DAGSTER_HOME (the project root by default), so the run also shows in `dagster dev`.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date

import dagster as dg
import duckdb
import polars as pl

from pipelines.definitions import defs
from pipelines.jobs import MONTHLY_JOB
from pipelines.resources import SopStorage
from sop.config import PROJECT_ROOT
from sop.months import month_label, parse_month
from sop.sample_data import write_sample_extracts
from sop.summary import family_summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--month", default=month_label(date.today()), help="plan month YYYY-MM (default: this month)")
    args = parser.parse_args(argv)
    plan_month = parse_month(args.month)
    label = month_label(plan_month)
    storage = SopStorage.from_env()
    paths = storage.paths

    folder = paths.extracts_dir / label
    if not folder.exists():
        write_sample_extracts(paths.extracts_dir, plan_month)
        print(f"No extracts for {label}: wrote generated sample extracts to {folder}")

    os.environ.setdefault("DAGSTER_HOME", str(PROJECT_ROOT))
    with dg.DagsterInstance.get() as instance:
        result = defs.resolve_job_def(MONTHLY_JOB).execute_in_process(
            partition_key=label,
            instance=instance,
            resources={"storage": storage},
            # The full event log stays in the instance (dagster dev); here, only what to act on.
            run_config={"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}},
            raise_on_error=False,
        )
    for event in result.get_step_failure_events():
        failure = event.step_failure_data
        if failure.error and failure.error.cls_name == "DagsterAssetCheckFailedError":
            continue  # the check's own report follows
        reason = failure.user_failure_data.description if failure.user_failure_data else failure.error.message
        print(f"{event.step_key} failed: {reason}", file=sys.stderr)
    failed_checks = [evaluation for evaluation in result.get_asset_check_evaluations() if not evaluation.passed]
    for evaluation in failed_checks:
        report = evaluation.metadata.get("report")
        print(report.value if report else evaluation.check_name, file=sys.stderr)
    if not result.success:
        print(f"\nThe {label} run failed; nothing new was published. See the messages above.", file=sys.stderr)
        return 1

    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        summary = family_summary(con, plan_month)
    with pl.Config(tbl_rows=-1, tbl_cols=-1, tbl_hide_dataframe_shape=True, tbl_width_chars=160, fmt_str_lengths=80):
        print(f"\nS&OP plan {label}: {summary.height} product families over the horizon")
        print(summary)
    print(
        f"\nOutputs\n  DuckDB warehouse: {paths.warehouse}"
        "  (tables consolidated_plan, sku_forecast; views latest_plan, plan_risks)"
        f"\n  Parquet export:   {paths.export_dir}/<table>/plan_month={label}/data.parquet"
        f"\n  Data docs:        {paths.data_docs_dir / 'index.html'}"
        "\n  Dagster UI:       uv run dagster dev -m pipelines"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
