"""The plan month: every asset of the monthly run is partitioned by it."""

from datetime import date

import dagster as dg

from sop.core import DEFAULT_CONFIG, Config, parse_month
from sop.core.settings import SettingsError, load_settings, settings_path


def monthly_partitions(settings: Config) -> dg.MonthlyPartitionsDefinition:
    """From the settings' first plan month to the current month: plan month M is planned during M from
    the extracts closed at the end of M-1 (end_offset=1), so the schedule can request it."""
    return dg.MonthlyPartitionsDefinition(start_date=settings.plan.first_plan_month, fmt="%Y-%m", end_offset=1)


def _settings_for_partitions() -> Config:
    # The definitions load even with a bad settings file, so that the UI can show what failed: every run
    # reads the file again before its first step and stops there with the file's errors.
    try:
        return load_settings(settings_path())
    except SettingsError:
        return DEFAULT_CONFIG


plan_months = monthly_partitions(_settings_for_partitions())

# DuckDB allows one writing process per file: every step that touches the warehouse shares
# this pool, limited to one at a time in dagster.yaml.
WAREHOUSE_POOL = "sop_warehouse"


def plan_month_of(context: dg.AssetExecutionContext | dg.AssetCheckExecutionContext) -> date:
    return parse_month(context.partition_key)
