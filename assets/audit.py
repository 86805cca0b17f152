"""Write, audit, publish: each stage's step hands its drafts over, signed as its run's and audited.

Every rule of `sop.publish.audits()` is a blocking check of the asset whose step writes the table it
reads: a broken rule stops everything downstream of that asset for the month, `published_month` too,
so what readers see keeps every rule. The signature (`sop.publish.sign_drafts`) lets `published_month`
publish only this run's drafts, whole.
"""

from datetime import date

import dagster as dg
import duckdb
from dagster._core.storage.tags import ROOT_RUN_ID_TAG

from sop.core.tables import WRITTEN_BESIDE
from sop.publish import AuditResult, Writer, audit_table, audits, sign_drafts
from sop.report import markdown_table


def audit_specs(*checked: str) -> list[dg.AssetCheckSpec]:
    """The checks of the assets `checked`."""
    return [
        dg.AssetCheckSpec(audit.name, asset=audit.table, blocking=True, description=audit.description)
        for audit in audits()
        if audit.table in checked
    ]


def run_writer(context: dg.AssetExecutionContext) -> Writer:
    """The run of the step, as the drafts' manifest names it: a re-execution belongs to its root run's lineage."""
    run = context.run
    return Writer(run.run_id, run.tags.get(ROOT_RUN_ID_TAG, run.run_id))


def hand_over_drafts(
    context: dg.AssetExecutionContext, con: duckdb.DuckDBPyConnection, plan_month: date, *written: str
) -> list[dg.AssetCheckResult]:
    """Signs the month's drafts of the assets `written` (and the tables written beside them) as this run's,
    then runs their checks on them, on the step's connection."""
    beside = tuple(table for table, owner in WRITTEN_BESIDE.items() if owner in written)
    sign_drafts(con, plan_month, run_writer(context), (*written, *beside))
    results = [result for table in written for result in audit_table(con, table, plan_month)]
    for result in results:
        if not result.passed:
            context.log.error(f"{result.describe()}\n{result.examples}")
    return [_check_result(result) for result in results]


def _check_result(result: AuditResult) -> dg.AssetCheckResult:
    metadata: dict[str, dg.MetadataValue] = {"failing_rows": dg.MetadataValue.int(result.failing_rows)}
    if not result.passed:
        metadata["first_failing_rows"] = dg.MetadataValue.md(markdown_table(result.examples))
    return dg.AssetCheckResult(
        asset_key=result.audit.table,
        check_name=result.audit.name,
        passed=result.passed,
        description=result.describe(),
        metadata=metadata,
    )
