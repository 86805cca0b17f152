"""Validating one optional extract of input contract v2 beside a small sales extract."""

from datetime import date, datetime
from pathlib import Path

import duckdb

from sop.intake.contract import SALES, ExtractSpec
from sop.intake.ingest import land_extract
from sop.intake.validation import ValidationReport, validate_extract

PLAN_MONTH = date(2026, 11, 1)


def validate_beside_sales(
    tmp_path: Path, con: duckdb.DuckDBPyConnection, spec: ExtractSpec, sales: str, text: str | None
) -> ValidationReport:
    """Lands `sales` and, unless None, `text` as the extract's CSV for PLAN_MONTH, and validates the extract."""
    folder = tmp_path / "extracts" / "2026-11"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sales.csv").write_text(sales, encoding="utf-8")
    if text is not None:
        (folder / f"{spec.name}.csv").write_text(text, encoding="utf-8")
    for landed in (SALES, spec):
        land_extract(con, landed, tmp_path / "extracts", PLAN_MONTH, datetime(2026, 11, 3))
    return validate_extract(con, spec.name, PLAN_MONTH)
