"""Typed staging tables, built from the raw landing once the month's checks have passed."""

from __future__ import annotations

from datetime import date

import duckdb

from sop.core.warehouse import define_macros, replace_partition, transaction
from sop.intake.contract import WHITESPACE, ExtractSpec


def stage_extract(con: duckdb.DuckDBPyConnection, spec: ExtractSpec, plan_month: date) -> int:
    """Rebuilds `stg_<extract>` for the plan month from `raw_<extract>`; returns its row count."""
    define_macros(con)
    with transaction(con):
        return replace_partition(con, spec.staging_table, {"plan_month": plan_month}, {"whitespace": WHITESPACE})
