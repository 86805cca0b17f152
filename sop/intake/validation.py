"""Validating a landed extract against its Great Expectations suite (`expectations/<extract>.json`).

The rules run in DuckDB (`sop.intake.rule_sql`) over `validation_rows`: the file's values trimmed (blank
means missing), plus derived columns (`<column>__number`, `<column>__month` and the extract's own,
such as `product_family__families_per_sku`) so that the suites can state typing, range and
cross-row rules. Results carry the file's row numbers, so every failure can show the rows a user
has to fix.
GX itself runs the same suites on the same rows when data docs are asked for (`sop.intake.gx_suite`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from sop.core import tables
from sop.core.config import DEFAULT_CONFIG, PROJECT_ROOT
from sop.core.months import add_months, month_label
from sop.core.warehouse import define_macros, quote_identifier, read_partition, replace_partition, scalar, transaction
from sop.intake.contract import EXTRACTS, SALES, WHITESPACE, ExtractSpec
from sop.intake.rule_sql import VALIDATION_ROWS, ValidationRows, columns_of, evaluate_suite

EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"
EXAMPLE_ROWS = 5


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
    source_file: Path | None
    """None: an optional extract the month's folder does not have."""
    row_count: int
    failures: tuple[RuleFailure, ...]

    @property
    def errors(self) -> tuple[RuleFailure, ...]:
        return tuple(failure for failure in self.failures if failure.severity == "error")

    @property
    def warnings(self) -> tuple[RuleFailure, ...]:
        return tuple(failure for failure in self.failures if failure.severity == "warning")

    def findings(self) -> list[RuleFailure]:
        """The failures in a fixed order (GX lists its results in an order of its own)."""
        return sorted(self.failures, key=lambda failure: (failure.column, failure.rule))

    @property
    def passed(self) -> bool:
        """No error-level failure: the month may go on (warnings do not block)."""
        return not self.errors

    def describe(self) -> str:
        if self.source_file is None:
            return f"No {self.extract} file this plan month: the extract is optional, and there is nothing to check."
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
    # An empty or blank cell shows as '', not as Python's None.
    values = ", ".join(
        f"{name}={'' if value is None else value!r}" for name, value in row.items() if name != "_source_row"
    )
    return f"{where}: {values}"


def load_suite_json(extract: str) -> dict[str, Any]:
    return json.loads((EXPECTATIONS_DIR / f"{extract}.json").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class LoadRecord:
    """The plan month's `raw_loads` entry of an extract: which file (None: an optional extract that
    did not come), with which header."""

    spec: ExtractSpec
    source_file: Path | None
    header: list[str]


def load_record(con: duckdb.DuckDBPyConnection, extract: str, plan_month: date) -> LoadRecord:
    load = read_partition(con, tables.RAW_LOADS, {"plan_month": plan_month, "extract": extract})
    if load.is_empty():
        raise LookupError(f"no {extract} extract has been landed for plan month {month_label(plan_month)}")
    source_file = load.get_column("source_file")[0]
    return LoadRecord(
        EXTRACTS[extract], Path(source_file) if source_file else None, load.get_column("header")[0].to_list()
    )


@contextmanager
def validation_rows(con: duckdb.DuckDBPyConnection, landed: LoadRecord, plan_month: date) -> Iterator[ValidationRows]:
    """Builds the temporary `validation_rows` table the rules read; yields its columns and size."""
    spec, header = landed.spec, landed.header
    present = [column for column in spec.columns if column.name in header]
    values = [
        f"trimmed({quote_identifier(column.name)}, $whitespace) as {quote_identifier(column.name)}"
        for column in present
    ]
    # Extra columns are not landed; their names are enough for the column-set rule.
    extras = [f"null::varchar as {quote_identifier(name)}" for name in header if name not in spec.column_names]
    derived = []
    for column in present:
        name = quote_identifier(column.name)
        if column.kind == "number":
            # Written NaN and infinity are the regex rule's to report, not the range rules'; a plain
            # number too large for a double (1e999) stays infinite for the finite-amount rule.
            number = f"try_cast({name} as double)"
            written = f"regexp_matches({name}, '[iInN]')"
            derived.append(
                f"case when isfinite({number}) or not {written} then {number} end"
                f" as {quote_identifier(column.name + '__number')}"
            )
        elif column.kind == "month":
            # Any day of a month means that month: only the YYYY-MM part counts once the regex holds.
            month = f"try_strptime(left({name}, 7) || '-01', '%Y-%m-%d')::date"
            derived.append(f"{month} as {quote_identifier(column.name + '__month')}")
    derived += [
        f"{extra.sql} as {quote_identifier(extra.name)}" for extra in spec.derived if set(extra.reads) <= set(header)
    ]
    define_macros(con)
    con.execute(
        f"create or replace temp table {VALIDATION_ROWS} as"
        f" with trimmed as (select _source_row, {', '.join([*values, *extras])}"
        f" from {quote_identifier(spec.raw_table)} where plan_month = $plan_month)"
        f" select * {', ' if derived else ''}{', '.join(derived)} from trimmed",
        {"whitespace": WHITESPACE, "plan_month": plan_month},
    )
    try:
        columns = [row[0] for row in con.execute(f"describe {VALIDATION_ROWS}").fetchall()]
        yield ValidationRows(columns, int(scalar(con, f"select count(*) from {VALIDATION_ROWS}")))
    finally:
        con.execute(f"drop table if exists {VALIDATION_ROWS}")


def expectation_parameters(
    con: duckdb.DuckDBPyConnection, plan_month: date, horizon_months: int = DEFAULT_CONFIG.forecast.horizon_months
) -> dict[str, Any]:
    """Values the suites refer to as `$PARAMETER`: the month bounds and what sales knows."""
    define_macros(con)
    known = con.execute(
        "select list(distinct sku order by sku), list(distinct product_family order by product_family),"
        " list(distinct region order by region), list(distinct sku_family order by sku_family)"
        " from (select sku, product_family, region, sku || ' of ' || product_family as sku_family"
        " from (select trimmed(sku, $whitespace) as sku, trimmed(product_family, $whitespace) as product_family,"
        " trimmed(region, $whitespace) as region"
        f" from (select distinct sku, product_family, region from {SALES.raw_table} where plan_month = $plan_month)))",
        {"whitespace": WHITESPACE, "plan_month": plan_month},
    ).fetchall()[0]
    skus, families, regions, sku_families = ([value for value in values or [] if value is not None] for values in known)
    return {
        "plan_month": plan_month,
        "last_history_month": add_months(plan_month, -1),
        "last_plan_month": add_months(plan_month, horizon_months - 1),
        "sales_skus": skus,
        "sales_families": families,
        "sales_regions": regions,
        "sales_sku_families": sku_families,
    }


def applicable_expectations(extract: str, columns: list[str], parameters: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The suite's rules whose columns the file has (a missing column is its own rule's failure), each
    rule bounded by months saying which (`parameters`, `expectation_parameters`): "inside the horizon:
    from the plan month M to the last planned month, here 2026-11 to 2028-04"."""
    return [
        _months_stated(exp, parameters)
        for exp in load_suite_json(extract)["expectations"]
        if columns_of(exp) <= set(columns)
    ]


def _months_stated(expectation: dict[str, Any], parameters: Mapping[str, Any]) -> dict[str, Any]:
    bounds = [expectation["kwargs"].get(side) for side in ("min_value", "max_value")]
    values = [parameters.get(bound.get("$PARAMETER")) for bound in bounds if isinstance(bound, dict)]
    months = [month_label(value) for value in values if isinstance(value, date)]
    if not months or "rule" not in expectation.get("meta", {}):
        return expectation
    stated = f"{expectation['meta']['rule']}, here {' to '.join(dict.fromkeys(months))}"
    return expectation | {"meta": expectation["meta"] | {"rule": stated}}


def validate_extract(
    con: duckdb.DuckDBPyConnection,
    extract: str,
    plan_month: date,
    horizon_months: int = DEFAULT_CONFIG.forecast.horizon_months,
) -> ValidationReport:
    """Runs the extract's suite in DuckDB on the plan month's landed rows (a horizon of `horizon_months`)."""
    landed = load_record(con, extract, plan_month)
    if landed.source_file is None:
        return ValidationReport(extract, None, 0, ())
    with validation_rows(con, landed, plan_month) as rows:
        parameters = expectation_parameters(con, plan_month, horizon_months)
        expectations = applicable_expectations(extract, rows.columns, parameters)
        outcomes = evaluate_suite(con, expectations, parameters, EXAMPLE_ROWS, rows)
        failures = tuple(
            rule_failure(
                expectation,
                outcome.failing_rows,
                example_rows(con, outcome.example_rows, landed.spec, rows.columns),
                rule_detail(expectation["type"], outcome.observed_columns, landed.spec),
            )
            for expectation, outcome in zip(expectations, outcomes, strict=True)
            if outcome.failed
        )
    return ValidationReport(extract, landed.source_file, rows.row_count, failures)


def derived_columns(spec: ExtractSpec) -> set[str]:
    """The columns `validation_rows` adds to the file's own."""
    names = {f"{column.name}__{column.kind}" for column in spec.columns if column.kind in ("number", "month")}
    return names | {extra.name for extra in spec.derived}


def rule_detail(kind: str, observed_columns: Sequence[str], spec: ExtractSpec) -> str:
    """What a failure of a table-level rule adds to its message: which column is missing or extra."""
    if kind == "expect_column_to_exist":
        return "not in the header"
    if kind == "expect_table_columns_to_match_set":
        extra = sorted(set(observed_columns) - {"_source_row", *spec.column_names, *derived_columns(spec)})
        return f"extra column(s) ignored: {', '.join(extra)}" if extra else ""
    return ""


def example_rows(
    con: duckdb.DuckDBPyConnection, rows: tuple[int, ...], spec: ExtractSpec, columns: list[str]
) -> tuple[dict[str, Any], ...]:
    """The failing rows as the file has them (trimmed), contract columns only."""
    if not rows:
        return ()
    shown = ", ".join(quote_identifier(name) for name in spec.column_names if name in columns)
    frame = con.sql(
        f"select _source_row, {shown} from {VALIDATION_ROWS} where list_contains($rows, _source_row)"
        " order by _source_row",
        params={"rows": list(rows)},
    ).pl()
    return tuple(frame.to_dicts())


def rule_failure(
    expectation: Mapping[str, Any], failing_rows: int | None, examples: tuple[dict[str, Any], ...], detail: str
) -> RuleFailure:
    meta = expectation.get("meta") or {}
    return RuleFailure(
        column=meta.get("column", "(table)"),
        rule=meta.get("rule", expectation["type"]),
        severity="warning" if expectation.get("severity") == "warning" else "error",
        failing_rows=failing_rows,
        examples=examples,
        detail=detail,
    )


FINDING_SCHEMA = {
    "column_name": pl.String,
    "rule": pl.String,
    "severity": pl.String,
    "failing_rows": pl.Int64,
    "example_rows": pl.List(pl.Int64),
    "detail": pl.String,
    "product_family": pl.String,
    "region": pl.String,
    "months": pl.String,
}
"""The rows a check hands to `validation_results` (`rule_failures`)."""


def record_results(con: duckdb.DuckDBPyConnection, report: ValidationReport, plan_month: date) -> int:
    """Replaces the contract's rows of `validation_results` for the extract and plan month with the report's
    failures."""
    findings = [
        {
            "column_name": failure.column,
            "rule": failure.rule,
            "severity": failure.severity,
            "failing_rows": failure.failing_rows,
            "example_rows": [example["_source_row"] for example in failure.examples],
            "detail": failure.detail,
        }
        for failure in report.failures
    ]
    return record_findings(con, plan_month, report.extract, f"{report.extract}_contract", report.source_file, findings)


def record_findings(
    con: duckdb.DuckDBPyConnection,
    plan_month: date,
    extract: str,
    check_name: str,
    source_file: Path | None,
    findings: list[dict[str, Any]],
) -> int:
    """Replaces the rows of `validation_results` that the check `check_name` found for the extract and plan
    month with `findings` (dicts of `FINDING_SCHEMA`'s fields; a field left out is null)."""
    frame = pl.DataFrame(findings, schema=FINDING_SCHEMA)
    partition = {"plan_month": plan_month, "extract": extract, "check_name": check_name}
    with transaction(con):
        params = {"source_file": str(source_file) if source_file else None}
        return replace_partition(con, tables.VALIDATION_RESULTS, partition, params, {"rule_failures": frame})
