"""Stage 2, validate: each landed extract against its Great Expectations suite.

Error-level rules block everything downstream of the extract for that month; warnings
(an unknown sku in inventory, an extra column) are reported and the run goes on.
"""

import warnings

import dagster as dg
import polars as pl

from pipelines.partitions import WAREHOUSE_POOL, plan_month_of, plan_months
from pipelines.resources import SopStorage
from sop.contract import EXTRACTS, SALES, ExtractSpec
from sop.markdown import markdown_table
from sop.validation import RuleFailure, record_results, validate_extract


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


def _contract_check(spec: ExtractSpec) -> dg.AssetChecksDefinition:
    # Rules that refer to sales (known skus and families) read the same month's landed sales.
    references = [] if spec is SALES else [SALES.raw_table]

    @dg.asset_check(
        asset=spec.raw_table,
        name=f"{spec.name}_contract",
        blocking=True,
        partitions_def=plan_months,
        pool=WAREHOUSE_POOL,
        additional_deps=references,
        description=f"The {spec.name} extract keeps every rule of input contract v1 (expectations/{spec.name}.json).",
    )
    def _check(context: dg.AssetCheckExecutionContext, storage: SopStorage) -> dg.AssetCheckResult:
        plan_month = plan_month_of(context)
        with storage.connect() as con:
            report = validate_extract(con, spec.name, plan_month, storage.paths.data_docs_dir)
            record_results(con, report, plan_month)
        message = report.describe()
        if report.errors:
            context.log.error(message)
        elif report.warnings:
            context.log.warning(message)
        metadata: dict[str, dg.MetadataValue] = {
            "source_file": dg.MetadataValue.path(str(report.source_file)),
            "rows": dg.MetadataValue.int(report.row_count),
            "errors": dg.MetadataValue.int(len(report.errors)),
            "warnings": dg.MetadataValue.int(len(report.warnings)),
            "report": dg.MetadataValue.text(message),
            "data_docs": dg.MetadataValue.path(str(storage.paths.data_docs_dir / "index.html")),
        }
        if report.failures:
            metadata["failures"] = dg.MetadataValue.md(_failures_table(report.failures))
        return dg.AssetCheckResult(
            passed=not report.failures,
            severity=dg.AssetCheckSeverity.ERROR if report.errors else dg.AssetCheckSeverity.WARN,
            description=message.splitlines()[0],
            metadata=metadata,
        )

    return _check


# Partitioned checks are a Dagster preview; they are what makes a check's outcome belong to
# its plan month in the UI and in backfills, so we take them and silence the notice.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", dg.PreviewWarning)
    contract_checks = [_contract_check(spec) for spec in EXTRACTS.values()]
