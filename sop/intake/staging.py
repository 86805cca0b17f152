"""Typed staging tables, built from the raw landing once the month's checks have passed."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

from sop.core.warehouse import define_macros, replace_partition, transaction
from sop.intake.contract import EXTRACTS, REQUIRED_EXTRACTS, WHITESPACE, ExtractSpec
from sop.intake.ingest import land_extract
from sop.intake.validation import validate_extract


def stage_extract(con: duckdb.DuckDBPyConnection, spec: ExtractSpec, plan_month: date) -> int:
    """Rebuilds `stg_<extract>` for the plan month from `raw_<extract>`; returns its row count."""
    define_macros(con)
    with transaction(con):
        return replace_partition(con, spec.staging_table, {"plan_month": plan_month}, {"whitespace": WHITESPACE})


def stage_month(con: duckdb.DuckDBPyConnection, extracts_dir: Path, plan_month: date) -> None:
    """Lands, validates and stages the month's company extracts (`REQUIRED_EXTRACTS`) one after another, as
    the job's steps do: for benches and tests that need staged months without Dagster. Stops on a contract
    error with its report."""
    for name in REQUIRED_EXTRACTS:
        land_extract(con, EXTRACTS[name], extracts_dir, plan_month, datetime.now(UTC))
        report = validate_extract(con, name, plan_month)
        if not report.passed:
            raise ValueError(report.describe())
        stage_extract(con, EXTRACTS[name], plan_month)
