"""Extracts that keep the contract but are wrong: each staged extract against the one of the plan month
before and against its own history.

A check is an evidence model (`sql/checks/<check>.sql`: SQL over the `stg_*` tables of this plan month
and the last, one row per family, region, plant or year it judges) and a Great Expectations suite over
that evidence (`expectations/checks/<check>.json`: the rule, the column it is about, and the message a
failing row gives). The rules are answered in DuckDB like the contract's (`sop.intake.rule_sql`); the
thresholds and each check's severity are the planners' settings (`[checks]`, `ChecksConfig`). A plan month
whose month before was never landed has no extract to compare with: only the checks against the
extract's own history judge it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import date
from functools import cache
from typing import Any

import duckdb

from sop.core.config import CHECK_SEVERITY, CheckName, ChecksConfig
from sop.core.models import sql_text
from sop.core.months import add_months
from sop.core.warehouse import bind, one_thread, quote_identifier, scalar
from sop.intake.rule_sql import ValidationRows, evaluate_suite
from sop.intake.validation import EXPECTATIONS_DIR, load_record, record_findings

CHECKS_DIR = EXPECTATIONS_DIR / "checks"
MOST_FINDINGS = 10_000
"""Every failing evidence row is a finding of its own; this bounds how many one check lists."""


@dataclass(frozen=True)
class CheckFinding:
    """A family, region, plant or year that a check found wrong."""

    check: CheckName
    extract: str
    column: str
    rule: str
    severity: str
    """`error` (the check blocks: the month stops) or `warning` (the month goes on, with a data-quality risk)."""
    message: str
    product_family: str | None
    region: str | None
    months: str | None
    evidence: dict[str, Any]

    def describe(self) -> str:
        return f"{self.severity.upper()} {self.check}: {self.message}."


@dataclass(frozen=True)
class HistoryReport:
    extract: str
    checks: tuple[CheckName, ...]
    findings: tuple[CheckFinding, ...]

    @property
    def errors(self) -> tuple[CheckFinding, ...]:
        return tuple(finding for finding in self.findings if finding.severity == "error")

    @property
    def warnings(self) -> tuple[CheckFinding, ...]:
        return tuple(finding for finding in self.findings if finding.severity == "warning")

    def describe(self) -> str:
        if not self.findings:
            checked = ", ".join(self.checks)
            return f"The {self.extract} extract agrees with last month's and with its own history ({checked})."
        head = (
            f"The {self.extract} extract against last month's and its own history: {len(self.errors)} error(s),"
            f" {len(self.warnings)} warning(s)."
        )
        return "\n".join([head, *(finding.describe() for finding in self.findings)])


@cache
def check_suite(check: str) -> dict[str, Any]:
    return json.loads((CHECKS_DIR / f"{check}.json").read_text(encoding="utf-8"))


def checks_of(extract: str) -> tuple[CheckName, ...]:
    """The checks of an extract, in the order the settings list them."""
    return tuple(check for check in CHECK_SEVERITY if check_suite(check)["meta"]["extract"] == extract)


def check_parameters(plan_month: date, config: ChecksConfig) -> dict[str, Any]:
    """What the evidence models and the suites refer to: the months around the plan month and the settings."""
    last_month = add_months(plan_month, -1)
    settings = {name: value for name, value in asdict(config).items() if name != "severity"}
    return settings | {
        "plan_month": plan_month,
        "previous_plan_month": add_months(plan_month, -1),
        "last_month": last_month,
        "month_before": add_months(last_month, -1),
        "trailing_from": add_months(last_month, -config.coverage_trailing_months),
        "recent_from": add_months(last_month, -config.level_break_months),
        "year_before_last_month": add_months(last_month, -12),
        "year_before_trailing_from": add_months(last_month, -12 - config.coverage_trailing_months),
        "coverage_effect": (
            "held out of the forecast, which reads an estimate of the month from the months before"
            if config.hold_out_missing_sales
            else "the forecast takes them as zero"
        ),
    }


def history_parameters(
    con: duckdb.DuckDBPyConnection, extract: str, plan_month: date, config: ChecksConfig
) -> dict[str, Any]:
    """`check_parameters` for one extract: the extract of the plan month before is compared with only when its
    month was not stopped by it (its last run found no error in it). A stopped extract's staged rows are
    what the month refused; judged against them, a corrected extract would look restated."""
    parameters = check_parameters(plan_month, config)
    refused = scalar(
        con,
        "select count(*) from validation_results where plan_month = $month and extract = $extract"
        " and severity = 'error'",
        {"month": parameters["previous_plan_month"], "extract": extract},
    )
    return parameters | ({"previous_plan_month": None} if refused else {})


def check_history(
    con: duckdb.DuckDBPyConnection, extract: str, plan_month: date, config: ChecksConfig
) -> HistoryReport:
    """Runs the extract's checks on its staged rows of the plan month."""
    parameters = history_parameters(con, extract, plan_month, config)
    findings = [
        finding
        for check in checks_of(extract)
        for finding in _run_check(con, check, parameters, config.severity_of(check))
    ]
    return HistoryReport(extract, checks_of(extract), tuple(findings))


@contextmanager
def evidence_table(
    con: duckdb.DuckDBPyConnection, check: CheckName, parameters: dict[str, Any]
) -> Iterator[ValidationRows]:
    """The check's evidence as a temporary table named after the check, for the block."""
    sql = sql_text(check)
    table = quote_identifier(check)
    # Sums in one thread: the same extracts give the same evidence to the last digit.
    with one_thread(con):
        con.execute(f"create or replace temp table {table} as {sql}", bind(sql, parameters))
    try:
        columns = [row[0] for row in con.execute(f"describe {table}").fetchall()]
        yield ValidationRows(columns, int(scalar(con, f"select count(*) from {table}")))
    finally:
        con.execute(f"drop table if exists {table}")


def judged_measure(check: CheckName) -> tuple[str, Any]:
    """The evidence column the check's rule judges, and its bound (a value, or a `$PARAMETER`)."""
    (expectation,) = check_suite(check)["expectations"]
    return expectation["kwargs"]["column"], expectation["kwargs"]["max_value"]


def _run_check(
    con: duckdb.DuckDBPyConnection, check: CheckName, parameters: dict[str, Any], severity: str
) -> list[CheckFinding]:
    suite = check_suite(check)
    with evidence_table(con, check, parameters) as evidence:
        outcomes = evaluate_suite(con, suite["expectations"], parameters, MOST_FINDINGS, evidence, table=check)
        failing = sorted({row for outcome in outcomes for row in outcome.example_rows})
        rows = con.sql(
            f"select * from {quote_identifier(check)} where list_contains($rows, _source_row) order by _source_row",
            params={"rows": failing},
        ).pl()
    meta = suite["meta"]
    rule = suite["expectations"][0]["meta"]["rule"]
    return [
        CheckFinding(
            check=check,
            extract=meta["extract"],
            column=meta["column"],
            rule=rule,
            severity="error" if severity == "block" else "warning",
            message=meta["message"].format(**(parameters | {name: _shown(value) for name, value in row.items()})),
            product_family=row.get("product_family") or _named(row, "family"),
            region=row.get("region") or _named(row, "region"),
            months=row.get("months"),
            evidence={name: value for name, value in row.items() if name != "_source_row"},
        )
        for row in rows.to_dicts()
    ]


def record_history(con: duckdb.DuckDBPyConnection, report: HistoryReport, plan_month: date) -> int:
    """Replaces the rows of `validation_results` that the extract's checks against history found for the plan
    month with the report's findings."""
    findings = [
        {
            "column_name": finding.column,
            "rule": finding.message,
            "severity": finding.severity,
            "detail": f"{finding.check}: {finding.rule}",
            "product_family": finding.product_family,
            "region": finding.region,
            "months": finding.months,
        }
        for finding in report.findings
    ]
    source_file = load_record(con, report.extract, plan_month).source_file
    return record_findings(con, plan_month, report.extract, history_check_name(report.extract), source_file, findings)


def history_check_name(extract: str) -> str:
    """The Dagster asset check of an extract's checks against history."""
    return f"{extract}_history"


class _Amount(float):
    """A number of the evidence as a message shows it: a fraction below one (a month reported in thousands)
    with two significant digits, where the message's whole-number format would show 0."""

    def __format__(self, spec: str) -> str:
        if spec.endswith(".0f") and 0 < abs(self) < 1:
            return format(float(self), ".2g")
        return format(float(self), spec)


class _NotAvailable:
    """A figure the evidence lacks (a change from nothing), whatever the message's format."""

    def __format__(self, spec: str) -> str:
        return "n/a"


def _shown(value: Any) -> Any:
    if value is None:
        return _NotAvailable()
    return _Amount(value) if isinstance(value, float) else value


def _named(row: dict[str, Any], level: str) -> str | None:
    """The family or region of a row judged at that level (`level`, `name`)."""
    return row["name"] if row.get("level") == level else None
