"""Stage 2, validate: each landed extract against its Great Expectations suite, and each staged extract
against the one of the month before and its own history.

The contract check is declared on the extract's raw asset and runs in its step, right after the landing;
the check against history on its staging asset, right after the staging. Error-level findings block
everything downstream of the extract for that month; warnings (an unknown sku in inventory, an extra
column, a region's month missing) are reported, become data-quality risks, and the run goes on.
"""

import time
from datetime import date

import dagster as dg
import polars as pl

from pipelines.resources import SopStorage
from sop.intake import (
    ExtractSpec,
    RuleFailure,
    check_history,
    checks_of,
    history_check_name,
    record_history,
    record_results,
    validate_extract,
    validate_history_with_gx,
    validate_with_gx,
)
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
    metadata: dict[str, dg.MetadataValue] = {
        "source_file": dg.MetadataValue.path(str(report.source_file or "none")),
        "rows": dg.MetadataValue.int(report.row_count),
    }
    if report.failures:
        metadata["failures"] = dg.MetadataValue.md(_failures_table(report.failures))
    return _reported(
        context, storage, f"{spec.name}_contract", report.describe(), len(report.errors), len(report.warnings), metadata
    )


def history_check_spec(spec: ExtractSpec) -> dg.AssetCheckSpec:
    return dg.AssetCheckSpec(
        name=history_check_name(spec.name),
        asset=spec.staging_table,
        blocking=True,
        description=(
            f"The {spec.name} extract against last month's and its own history: {', '.join(checks_of(spec.name))}"
            " (expectations/checks/; thresholds and severities: [checks] in sop.toml)."
        ),
    )


def check_against_history(
    context: dg.AssetExecutionContext, storage: SopStorage, spec: ExtractSpec, plan_month: date
) -> dg.AssetCheckResult:
    """Runs the staged extract's checks against history, records the findings in `validation_results` and
    reports them."""
    with storage.connect() as con:
        began = time.perf_counter()
        report = check_history(con, spec.name, plan_month, storage.settings.checks)
        record_history(con, report, plan_month)
        seconds = time.perf_counter() - began
        if storage.data_docs:
            docs = storage.paths.data_docs_dir
            by_gx = validate_history_with_gx(con, spec.name, plan_month, docs, storage.settings.checks)
            by_duckdb = {check: sum(finding.check == check for finding in report.findings) for check in report.checks}
            if by_gx != by_duckdb:
                context.log.warning(f"Great Expectations found otherwise: {by_gx} (DuckDB: {by_duckdb})")
    metadata: dict[str, dg.MetadataValue] = {
        "checks": dg.MetadataValue.text(", ".join(report.checks)),
        "seconds": dg.MetadataValue.float(round(seconds, 3)),
    }
    if report.findings:
        findings = pl.DataFrame(
            [
                {
                    "severity": finding.severity,
                    "check": finding.check,
                    "family": finding.product_family,
                    "region": finding.region,
                    "months": finding.months,
                    "finding": finding.message,
                }
                for finding in report.findings
            ]
        )
        metadata["findings"] = dg.MetadataValue.md(markdown_table(findings, max_rows=findings.height))
    return _reported(
        context,
        storage,
        history_check_name(spec.name),
        report.describe(),
        len(report.errors),
        len(report.warnings),
        metadata,
    )


def _reported(
    context: dg.AssetExecutionContext,
    storage: SopStorage,
    check_name: str,
    message: str,
    errors: int,
    warnings: int,
    metadata: dict[str, dg.MetadataValue],
) -> dg.AssetCheckResult:
    """The check's result as the run log, Dagster's check page and `sop-run` show it: a warning does not pass,
    at severity WARN (the month goes on); an error does not pass, at severity ERROR (it blocks)."""
    if errors:
        context.log.error(message)
    elif warnings:
        context.log.warning(message)
    metadata = {
        **metadata,
        "errors": dg.MetadataValue.int(errors),
        "warnings": dg.MetadataValue.int(warnings),
        "report": dg.MetadataValue.text(message),
    }
    if storage.data_docs:
        metadata["data_docs"] = dg.MetadataValue.path(str(storage.paths.data_docs_dir / "index.html"))
    return dg.AssetCheckResult(
        check_name=check_name,
        passed=not (errors or warnings),
        severity=dg.AssetCheckSeverity.ERROR if errors else dg.AssetCheckSeverity.WARN,
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
