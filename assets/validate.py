"""Stage 2, validate: each landed extract against its Great Expectations suite.

The check is declared on the extract's raw asset and runs in its step, right after the landing:
error-level rules block everything downstream of the extract for that month; warnings (an
unknown sku in inventory, an extra column) are reported and the run goes on.
"""

from datetime import date

import dagster as dg
import polars as pl

from pipelines.resources import SopStorage
from sop.intake import ExtractSpec, RuleFailure, record_results, validate_extract, validate_with_gx
from sop.report import markdown_table


def contract_check_spec(spec: ExtractSpec) -> dg.AssetCheckSpec:
    return dg.AssetCheckSpec(
        name=f"{spec.name}_contract",
        asset=spec.raw_table,
        blocking=True,
        description=f"The {spec.name} extract keeps every rule of the input contract (expectations/{spec.name}.json).",
    )


def check_contract(
    context: dg.AssetExecutionContext, storage: SopStorage, spec: ExtractSpec, plan_month: date
) -> dg.AssetCheckResult:
    """Validates the landed extract, records the findings in `validation_results` and reports them."""
    with storage.connect() as con:
        horizon = storage.settings.forecast.horizon_months
        report = validate_extract(con, spec.name, plan_month, horizon)
        record_results(con, report, plan_month)
        if storage.data_docs:
            by_gx = validate_with_gx(con, spec.name, plan_month, storage.paths.data_docs_dir, horizon)
            if by_gx.findings() != report.findings():
                context.log.warning(f"Great Expectations found otherwise:\n{by_gx.describe()}")
    message = report.describe()
    if report.errors:
        context.log.error(message)
    elif report.warnings:
        context.log.warning(message)
    metadata: dict[str, dg.MetadataValue] = {
        "source_file": dg.MetadataValue.path(str(report.source_file or "none")),
        "rows": dg.MetadataValue.int(report.row_count),
        "errors": dg.MetadataValue.int(len(report.errors)),
        "warnings": dg.MetadataValue.int(len(report.warnings)),
        "report": dg.MetadataValue.text(message),
    }
    if storage.data_docs:
        metadata["data_docs"] = dg.MetadataValue.path(str(storage.paths.data_docs_dir / "index.html"))
    if report.failures:
        metadata["failures"] = dg.MetadataValue.md(_failures_table(report.failures))
    return dg.AssetCheckResult(
        check_name=f"{spec.name}_contract",
        passed=not report.failures,
        severity=dg.AssetCheckSeverity.ERROR if report.errors else dg.AssetCheckSeverity.WARN,
        description=message.splitlines()[0],
        metadata=metadata,
    )


def _failures_table(failures: tuple[RuleFailure, ...]) -> str:
    rows = [
        {
            "severity": failure.severity,
            "column": failure.column,
            "rule": failure.rule,
            "failing rows": failure.failing_rows,
            "first failing rows": ", ".join(str(example["_source_row"]) for example in failure.examples),
            "detail": failure.detail,
        }
        for failure in failures
    ]
    return markdown_table(pl.DataFrame(rows), max_rows=len(rows))
