"""Validating a landed extract against its Great Expectations suite (`expectations/<extract>.json`).

GX reads a pandas frame built from the raw text: the trimmed values, plus derived columns
(`<column>__number`, `<column>__month`, `product_family__families_per_sku`) so that the suites
can state typing, range and cross-row rules. Results carry the file's row numbers, so every
failure can show the rows a user has to fix.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import polars as pl

from sop.config import PROJECT_ROOT
from sop.contract import EXTRACTS, SALES, ExtractSpec
from sop.months import add_months, month_label
from sop.warehouse import read_partition, replace_partition, transaction

if TYPE_CHECKING:
    from great_expectations.core import ExpectationSuiteValidationResult

EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"
EXAMPLE_ROWS = 5
FAMILIES_PER_SKU = "product_family__families_per_sku"


@dataclass(frozen=True)
class RuleFailure:
    column: str
    rule: str
    severity: str
    """`error` blocks the month; `warning` is reported and the run goes on."""
    failing_rows: int | None
    """None for rules about the table as a whole (a missing or extra column)."""
    examples: tuple[dict[str, Any], ...]
    detail: str = ""

    def describe(self, source_file: Path) -> str:
        scope = f"{self.failing_rows} row(s)" if self.failing_rows is not None else "the file"
        text = (
            f"{self.severity.upper()} {source_file.name}, column `{self.column}`, rule: {self.rule}; fails for {scope}"
        )
        if self.detail:
            text += f" ({self.detail})"
        for example in self.examples:
            text += "\n    e.g. " + _describe_row(example, source_file)
        return text


@dataclass(frozen=True)
class ValidationReport:
    extract: str
    source_file: Path
    row_count: int
    failures: tuple[RuleFailure, ...]

    @property
    def errors(self) -> tuple[RuleFailure, ...]:
        return tuple(failure for failure in self.failures if failure.severity == "error")

    @property
    def warnings(self) -> tuple[RuleFailure, ...]:
        return tuple(failure for failure in self.failures if failure.severity == "warning")

    @property
    def passed(self) -> bool:
        """No error-level failure: the month may go on (warnings do not block)."""
        return not self.errors

    def describe(self) -> str:
        if not self.failures:
            return f"{self.source_file}: all rules of the {self.extract} contract hold ({self.row_count} rows)."
        head = (
            f"{self.source_file}: {len(self.errors)} error(s), {len(self.warnings)} warning(s)"
            f" against the {self.extract} contract ({self.row_count} rows)."
        )
        return "\n".join([head, *(failure.describe(self.source_file) for failure in self.failures)])


def _describe_row(row: dict[str, Any], source_file: Path) -> str:
    number = row["_source_row"]
    where = f"row {number} (line {number + 1})" if source_file.suffix == ".csv" else f"row {number}"
    values = ", ".join(f"{name}={value!r}" for name, value in row.items() if name != "_source_row")
    return f"{where}: {values}"


def load_suite_json(extract: str) -> dict[str, Any]:
    return json.loads((EXPECTATIONS_DIR / f"{extract}.json").read_text(encoding="utf-8"))


def validation_frame(raw: pl.DataFrame, header: list[str], spec: ExtractSpec) -> pl.DataFrame:
    """What GX sees: the file's columns, trimmed (blank means missing), plus the derived columns."""
    present = [column for column in spec.columns if column.name in header]
    trimmed = [pl.col(column.name).str.strip_chars().replace("", None).alias(column.name) for column in present]
    extras = [pl.lit(None, dtype=pl.Utf8).alias(name) for name in header if name not in spec.column_names]
    frame = raw.select(pl.col("_source_row"), *trimmed, *extras)
    derived: list[pl.Expr] = []
    for column in present:
        if column.kind == "number":
            # NaN and infinity are the regex rule's to report, not the range rule's.
            number = pl.col(column.name).cast(pl.Float64, strict=False)
            derived.append(pl.when(number.is_finite()).then(number).alias(f"{column.name}__number"))
        elif column.kind == "month":
            # Any day of a month means that month: only the YYYY-MM part counts once the regex holds.
            first_day = pl.col(column.name).str.slice(0, 7) + "-01"
            derived.append(first_day.str.to_date("%Y-%m-%d", strict=False).alias(f"{column.name}__month"))
    if spec is SALES and {"sku", "product_family"} <= set(header):
        derived.append(pl.col("product_family").drop_nulls().n_unique().over("sku").alias(FAMILIES_PER_SKU))
    return frame.with_columns(derived)


def expectation_parameters(con: duckdb.DuckDBPyConnection, plan_month: date) -> dict[str, Any]:
    """Values the suites refer to as `$PARAMETER`: the month bounds and what sales knows."""
    sales = read_partition(con, SALES.raw_table, {"plan_month": plan_month})
    return {
        "plan_month": plan_month,
        "last_history_month": add_months(plan_month, -1),
        "sales_skus": _distinct_trimmed(sales, "sku"),
        "sales_families": _distinct_trimmed(sales, "product_family"),
    }


def _distinct_trimmed(frame: pl.DataFrame, column: str) -> list[str]:
    values = frame.get_column(column).str.strip_chars().drop_nulls().unique().sort()
    return values.to_list()


def validate_extract(
    con: duckdb.DuckDBPyConnection,
    extract: str,
    plan_month: date,
    docs_dir: Path | None = None,
) -> ValidationReport:
    """Runs the extract's suite on the plan month's landed rows; writes GX data docs to `docs_dir`."""
    spec = EXTRACTS[extract]
    load = read_partition(con, "raw_loads", {"plan_month": plan_month, "extract": extract})
    if load.is_empty():
        raise LookupError(f"no {extract} extract has been landed for plan month {month_label(plan_month)}")
    header = load.get_column("header")[0].to_list()
    source_file = Path(load.get_column("source_file")[0])
    raw = read_partition(con, spec.raw_table, {"plan_month": plan_month})
    frame = validation_frame(raw, header, spec)
    result = _run_suite(spec.name, frame, expectation_parameters(con, plan_month), docs_dir)
    failures = tuple(_failure(outcome, frame, spec) for outcome in result.results if not outcome.success)
    return ValidationReport(extract, source_file, frame.height, failures)


def _run_suite(
    name: str, frame: pl.DataFrame, parameters: dict[str, Any], docs_dir: Path | None
) -> ExpectationSuiteValidationResult:
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    # GX takes 4-7 s to import: only runs that validate pay for it, not loading the definitions.
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    suite_json = load_suite_json(name)
    applicable = [exp for exp in suite_json["expectations"] if _columns_of(exp) <= set(frame.columns)]
    suite = context.suites.add(gx.ExpectationSuite(name=name, expectations=applicable, meta=suite_json["meta"]))
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


def _columns_of(expectation: dict[str, Any]) -> set[str]:
    kwargs = expectation["kwargs"]
    if expectation["type"] == "expect_column_to_exist":
        return set()
    if "column" in kwargs:
        return {kwargs["column"]}
    return set(kwargs.get("column_list", []))


def _failure(outcome: Any, frame: pl.DataFrame, spec: ExtractSpec) -> RuleFailure:
    config = outcome.expectation_config
    meta = config.meta or {}
    result = outcome.result or {}
    detail = ""
    if outcome.exception_info and outcome.exception_info.get("raised_exception"):
        detail = f"the check itself failed: {outcome.exception_info.get('exception_message')}"
    elif config.type == "expect_column_to_exist":
        detail = "not in the header"
    elif config.type == "expect_table_columns_to_match_set":
        found = set(result.get("observed_value") or frame.columns)
        extra = sorted(name for name in found - {"_source_row", *spec.column_names} if "__" not in name)
        detail = f"extra column(s) ignored: {', '.join(extra)}" if extra else ""
    rows = [entry["_source_row"] for entry in result.get("partial_unexpected_index_list") or []]
    examples = frame.filter(pl.col("_source_row").is_in(rows)).select(
        "_source_row", *(name for name in spec.column_names if name in frame.columns)
    )
    return RuleFailure(
        column=meta.get("column", "(table)"),
        rule=meta.get("rule", config.type),
        severity="warning" if str(config.severity.value) == "warning" else "error",
        failing_rows=result.get("unexpected_count"),
        examples=tuple(examples.to_dicts()),
        detail=detail,
    )


def record_results(con: duckdb.DuckDBPyConnection, report: ValidationReport, plan_month: date) -> int:
    """Replaces the extract's rows of `validation_results` for the plan month with the report's failures."""
    failures = pl.DataFrame(
        [
            {
                "column_name": failure.column,
                "rule": failure.rule,
                "severity": failure.severity,
                "failing_rows": failure.failing_rows,
                "example_rows": [example["_source_row"] for example in failure.examples],
                "detail": failure.detail,
            }
            for failure in report.failures
        ],
        schema={
            "column_name": pl.String,
            "rule": pl.String,
            "severity": pl.String,
            "failing_rows": pl.Int64,
            "example_rows": pl.List(pl.Int64),
            "detail": pl.String,
        },
    )
    partition = {"plan_month": plan_month, "extract": report.extract}
    with transaction(con):
        return replace_partition(
            con, "validation_results", partition, {"source_file": str(report.source_file)}, {"rule_failures": failures}
        )
