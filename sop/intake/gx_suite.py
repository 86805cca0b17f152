"""Great Expectations itself, on the same rows and suites as the DuckDB rules: for data docs.

GX 1.x cannot validate DuckDB tables (its SQL engine reads results after duckdb-engine has closed
the connection: GX issues #10738 and #11579), so it validates a pandas copy of
`validation_rows`. That costs an import of several seconds and the whole table in memory, which is
why the monthly run answers the rules in DuckDB and calls this only when data docs are asked for
(`SOP_DATA_DOCS=1`); the tests hold the two engines to the same findings.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from sop.core.config import DEFAULT_CONFIG
from sop.intake.contract import ExtractSpec
from sop.intake.rule_sql import VALIDATION_ROWS
from sop.intake.validation import (
    EXAMPLE_ROWS,
    RuleFailure,
    ValidationReport,
    applicable_expectations,
    expectation_parameters,
    load_record,
    load_suite_json,
    rule_detail,
    rule_failure,
    validation_rows,
)


def validate_with_gx(
    con: duckdb.DuckDBPyConnection,
    extract: str,
    plan_month: date,
    docs_dir: Path | None = None,
    horizon_months: int = DEFAULT_CONFIG.forecast.horizon_months,
) -> ValidationReport:
    """The extract's suite run by GX; writes GX data docs to `docs_dir`."""
    landed = load_record(con, extract, plan_month)
    if landed.source_file is None:
        return ValidationReport(extract, None, 0, ())
    with validation_rows(con, landed, plan_month) as rows:
        # File order: GX's first failing rows are then the file's, as DuckDB's are.
        frame = con.sql(f"select * from {VALIDATION_ROWS} order by _source_row").pl()
        expectations = applicable_expectations(extract, rows.columns)
        result = _run_suite(
            extract, expectations, frame, expectation_parameters(con, plan_month, horizon_months), docs_dir
        )
    failures = tuple(_failure(outcome, frame, landed.spec) for outcome in result.results if not outcome.success)
    return ValidationReport(extract, landed.source_file, frame.height, failures)


def _run_suite(
    name: str,
    expectations: list[dict[str, Any]],
    frame: pl.DataFrame,
    parameters: dict[str, Any],
    docs_dir: Path | None,
) -> Any:
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    # GX takes 4-7 s to import: only runs that ask for data docs pay for it.
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    meta = load_suite_json(name)["meta"]
    suite = context.suites.add(gx.ExpectationSuite(name=name, expectations=expectations, meta=meta))
    batch = (
        context.data_sources.add_pandas("extracts")
        .add_dataframe_asset(name)
        .add_batch_definition_whole_dataframe("plan_month")
    )
    definition = context.validation_definitions.add(gx.ValidationDefinition(name=name, data=batch, suite=suite))
    actions = []
    if docs_dir is not None:
        site = {
            "class_name": "SiteBuilder",
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs_dir)},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        }
        context.add_data_docs_site(site_name="sop", site_config=site)
        actions.append(gx.checkpoint.UpdateDataDocsAction(name="data_docs"))
    checkpoint = context.checkpoints.add(
        gx.Checkpoint(
            name=name,
            validation_definitions=[definition],
            actions=actions,
            result_format={
                "result_format": "SUMMARY",
                "unexpected_index_column_names": ["_source_row"],
                "partial_unexpected_count": EXAMPLE_ROWS,
            },
        )
    )
    result = checkpoint.run(
        batch_parameters={"dataframe": frame.to_pandas(use_pyarrow_extension_array=True)},
        expectation_parameters=parameters,
    )
    return next(iter(result.run_results.values()))


def _failure(outcome: Any, frame: pl.DataFrame, spec: ExtractSpec) -> RuleFailure:
    config = outcome.expectation_config
    expectation = {"type": config.type, "meta": config.meta, "severity": str(config.severity.value)}
    result = outcome.result or {}
    if outcome.exception_info and outcome.exception_info.get("raised_exception"):
        detail = f"the check itself failed: {outcome.exception_info.get('exception_message')}"
    else:
        detail = rule_detail(config.type, result.get("observed_value") or frame.columns, spec)
    rows = [entry["_source_row"] for entry in result.get("partial_unexpected_index_list") or []]
    examples = frame.filter(pl.col("_source_row").is_in(rows)).select(
        "_source_row", *(name for name in spec.column_names if name in frame.columns)
    )
    return rule_failure(expectation, result.get("unexpected_count"), tuple(examples.to_dicts()), detail)
