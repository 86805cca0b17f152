"""The plan month: every asset of the monthly run is partitioned by it."""

from datetime import date

import dagster as dg

from sop.core import parse_month

# end_offset=1: plan month M is planned during M from the extracts closed at the end of M-1,
# so the current month is a valid partition (and the schedule requests it).
plan_months = dg.MonthlyPartitionsDefinition(start_date="2023-01", fmt="%Y-%m", end_offset=1)

# DuckDB allows one writing process per file: every step that touches the warehouse shares
# this pool, limited to one at a time in dagster.yaml.
WAREHOUSE_POOL = "sop_warehouse"


def plan_month_of(context: dg.AssetExecutionContext | dg.AssetCheckExecutionContext) -> date:
    return parse_month(context.partition_key)
