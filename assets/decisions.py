"""Stage 7, decisions: the meeting's action log followed through, month by month."""

import dagster as dg

from assets.audit import audit_specs, hand_over_drafts
from assets.catalog import catalog
from pipelines.partitions import WAREHOUSE_POOL, plan_month_of, plan_months
from pipelines.resources import SopStorage
from sop.core import tables
from sop.decisions import build_action_log


@dg.asset(
    name=tables.ACTION_LOG,
    deps=[tables.STG_ACTIONS],
    partitions_def=plan_months,
    group_name="decisions",
    pool=WAREHOUSE_POOL,
    kinds={"duckdb"},
    check_specs=audit_specs(tables.ACTION_LOG),
    metadata=catalog(tables.ACTION_LOG),
    description=(
        "The decision and action log with each action's state: new, open, due this month, months overdue, done on"
        " time or late, dropped, slipped and how often; an action last month's log had and this month's file lacks"
        " is kept as it was, marked missing. Grain: plan_month x action_id."
    ),
)
def action_log(context: dg.AssetExecutionContext, storage: SopStorage) -> dg.MaterializeResult:
    plan_month = plan_month_of(context)
    with storage.connect() as con:
        log = build_action_log(con, plan_month)
        checks = hand_over_drafts(context, con, plan_month, tables.ACTION_LOG)
    for warning in log.warnings(plan_month):
        context.log.warning(warning)
    return dg.MaterializeResult(
        metadata={"dagster/row_count": log.rows, "missing": log.missing.height},
        check_results=checks,
    )
