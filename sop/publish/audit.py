"""The audit of write-audit-publish: rules a month's drafts must keep before they are published.

Each rule selects the draft rows that break it: the plan's own rules are SQL models (`sql/audits/`),
and every published table is held to its grain (`tables.GRAIN`). A rule that finds a row stops the
month before `published_month`, so what readers see keeps every rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import polars as pl

from sop.core import tables
from sop.core.models import sql_text
from sop.core.tables import draft
from sop.core.warehouse import model_summary, quote_identifier, quote_table, scalar

EXAMPLE_ROWS = 5
AUDIT_PREFIX = "audit_"


@dataclass(frozen=True)
class Audit:
    name: str
    table: str
    """The published table whose asset the rule is a check of (its step writes the draft)."""
    description: str
    sql: str


@dataclass(frozen=True)
class AuditResult:
    audit: Audit
    failing_rows: int
    examples: pl.DataFrame | None
    """The first rows that break the rule (none when it holds)."""

    @property
    def passed(self) -> bool:
        return self.failing_rows == 0

    def describe(self) -> str:
        if self.passed:
            return f"{self.audit.name}: every row of {self.audit.table} keeps it."
        return f"{self.audit.name}: {self.failing_rows} row(s) of draft {self.audit.table} break it; not published."


def audits() -> list[Audit]:
    """Every rule, the plan's first, then each published table's grain."""
    rules = [
        Audit(name.removeprefix(AUDIT_PREFIX), table, model_summary(name), sql_text(name))
        for name, table in tables.AUDITS.items()
    ]
    return rules + [_grain_audit(table) for table in tables.PUBLISHED]


def _grain_audit(table: str) -> Audit:
    key = tables.GRAIN[table]
    columns = ", ".join(quote_identifier(column) for column in key)
    sql = (
        f"select {columns}, count(*) as rows from {quote_table(draft(table))}"
        f" where plan_month = $plan_month group by all having count(*) > 1 order by all"
    )
    asset = tables.WRITTEN_BESIDE.get(table, table)
    name = "one_row_per_key" if asset == table else f"{table}_one_row_per_key"
    return Audit(name, asset, f"one row per {' x '.join(key)}", sql)


def run_audit(con: duckdb.DuckDBPyConnection, audit: Audit, plan_month: date) -> AuditResult:
    month = {"plan_month": plan_month}
    count = scalar(con, f"select count(*) from ({audit.sql})", month)
    examples = con.sql(f"select * from ({audit.sql}) limit {EXAMPLE_ROWS}", params=month).pl() if count else None
    return AuditResult(audit, count, examples)


def audit_table(con: duckdb.DuckDBPyConnection, table: str, plan_month: date) -> list[AuditResult]:
    """The rules checked on the asset `table`, on the month's drafts."""
    return [run_audit(con, audit, plan_month) for audit in audits() if audit.table == table]
