"""Write, audit, publish: the checks each stage's step runs on the drafts it wrote.

Every rule of `sop.publish.audits()` is a blocking check of the asset whose step writes the table it
reads: a broken rule stops everything downstream of that asset for the month, `published_month` too,
so what readers see keeps every rule.
"""

from datetime import date

import dagster as dg
import duckdb

from sop.publish import AuditResult, audit_table, audits
from sop.report import markdown_table


def audit_specs(*checked: str) -> list[dg.AssetCheckSpec]:
    """The checks of the assets `checked`."""
    return [
        dg.AssetCheckSpec(audit.name, asset=audit.table, blocking=True, description=audit.description)
        for audit in audits()
        if audit.table in checked
    ]


def audit_results(
    context: dg.AssetExecutionContext, con: duckdb.DuckDBPyConnection, plan_month: date, *checked: str
) -> list[dg.AssetCheckResult]:
    """Runs the checks of the assets `checked` on their drafts of the month, on the step's connection."""
    results = [result for table in checked for result in audit_table(con, table, plan_month)]
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
