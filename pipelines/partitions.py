"""The plan month: every asset of the monthly run is partitioned by it."""

import re
from datetime import date
from pathlib import Path

import dagster as dg

from sop.core import DEFAULT_CONFIG, Config, Paths, parse_month
from sop.core.settings import SettingsError, load_settings, settings_path

BEFORE_ANY_EXTRACT = "2023-01"
"""Where the partitions start while the extracts root holds no month (and no setting says otherwise)."""


def first_plan_month(settings: Config, extracts_dir: Path) -> str:
    """`[plan] first_plan_month`, else the earliest month folder of the extracts: where the data starts."""
    if settings.plan.first_plan_month:
        return settings.plan.first_plan_month
    months = sorted(folder.name for folder in extracts_dir.glob("*") if _is_month(folder.name) and folder.is_dir())
    return months[0] if months else BEFORE_ANY_EXTRACT


def _is_month(name: str) -> bool:
    """A plan month's folder (`2026-11`); anything else there (`2024-13`, `notes`) is not data."""
    if not re.fullmatch(r"\d{4}-\d{2}", name):
        return False
    try:
        parse_month(name)
    except ValueError:
        return False
    return True


def monthly_partitions(settings: Config, extracts_dir: Path) -> dg.MonthlyPartitionsDefinition:
    """From the first plan month to the current month: plan month M is planned during M from the extracts
    closed at the end of M-1 (end_offset=1), so the schedule can request it."""
    return dg.MonthlyPartitionsDefinition(
        start_date=first_plan_month(settings, extracts_dir), fmt="%Y-%m", end_offset=1
    )


def _settings_for_partitions() -> Config:
    # The definitions load even with a bad settings file, so that the UI can show what failed: every run
    # reads the file again before its first step and stops there with the file's errors.
    try:
        return load_settings(settings_path())
    except SettingsError:
        return DEFAULT_CONFIG


plan_months = monthly_partitions(_settings_for_partitions(), Paths.from_env().extracts_dir)

# DuckDB allows one writing process per file: every step that touches the warehouse shares
# this pool, limited to one at a time in dagster.yaml.
WAREHOUSE_POOL = "sop_warehouse"


def plan_month_of(context: dg.AssetExecutionContext | dg.AssetCheckExecutionContext) -> date:
    return parse_month(context.partition_key)
