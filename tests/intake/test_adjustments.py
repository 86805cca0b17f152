"""The demand review's adjustments (input contract v2), as a user sees each rule fail: file, column,
rule and row; and a month without the file, which has no adjustments."""

from pathlib import Path

import duckdb
import pytest

from sop.intake.contract import ADJUSTMENTS
from sop.intake.staging import stage_extract
from sop.intake.validation import RuleFailure, ValidationReport
from tests.intake.beside_sales import PLAN_MONTH, validate_beside_sales

SALES_CSV = (
    "month,sku,product_family,region,units,net_revenue\n"
    "2026-09,S1,Tools,North,5,50\n2026-10,S1,Tools,North,6,60\n2026-10,S2,Garden,South,15,150\n"
)
HEADER = "month,product_family,sku,region,kind,value,source,owner,reason\n"
VALID_ROWS = (
    "2026-11,Tools,,,scale_pct,10,marketing,Maria Costa,Promotion\n"
    "2026-12,Tools,S1,North,add_units,-4,sales,Tom Becker,Customer lost\n"
    "2027-04,Garden,S2,,set_units,0,supply,Jon Park,Line rebuild\n"
    "2028-04,Garden,,South,add_units,25,executive,Ana Ruiz,Tender\n"
)


def _validate(tmp_path: Path, con: duckdb.DuckDBPyConnection, rows: str | None) -> ValidationReport:
    return validate_beside_sales(tmp_path, con, ADJUSTMENTS, SALES_CSV, None if rows is None else HEADER + rows)


def _only_failure(report: ValidationReport) -> RuleFailure:
    assert len(report.failures) == 1, report.describe()
    return report.failures[0]


def test_a_valid_file_passes_and_stages_blank_scopes_as_null(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    report = _validate(tmp_path, con, VALID_ROWS)
    assert report.failures == (), report.describe()
    assert stage_extract(con, ADJUSTMENTS, PLAN_MONTH) == 4
    staged = con.execute("select sku, region, value from stg_adjustments order by _source_row").fetchall()
    assert staged == [(None, None, 10.0), ("S1", "North", -4.0), ("S2", None, 0.0), (None, "South", 25.0)]


def test_no_file_means_no_adjustments(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    report = _validate(tmp_path, con, None)
    assert report.passed and report.source_file is None
    assert "No adjustments file" in report.describe()
    assert stage_extract(con, ADJUSTMENTS, PLAN_MONTH) == 0


BROKEN = [
    pytest.param("2026-11,Toys,,,add_units,5,sales,Tom,Why", "product_family", "known from sales", id="unknown family"),
    pytest.param(
        "2026-11,Garden,S1,,add_units,5,sales,Tom,Why",
        "sku",
        "a sku of that product_family",
        id="sku of another family",
    ),
    pytest.param(
        "2026-11,Tools,S9,,add_units,5,sales,Tom,Why", "sku", "a sku of that product_family", id="unknown sku"
    ),
    pytest.param(
        "2026-11,Tools,,Atlantis,add_units,5,sales,Tom,Why", "region", "a region known from sales", id="unknown region"
    ),
    pytest.param(
        "2026-10,Tools,,,add_units,5,sales,Tom,Why", "month", "inside the horizon", id="month before the plan month"
    ),
    pytest.param(
        "2028-05,Tools,,,add_units,5,sales,Tom,Why",
        "month",
        "inside the horizon: from the plan month M to the last planned month, here 2026-11 to 2028-04",
        id="month after the horizon",
    ),
    pytest.param(
        "2026-11,Tools,,,double_it,5,sales,Tom,Why", "kind", "one of add_units, set_units, scale_pct", id="unknown kind"
    ),
    pytest.param("2026-11,Tools,,,add_units,5,hr,Tom,Why", "source", "one of sales, marketing", id="unknown source"),
    pytest.param("2026-11,Tools,,,set_units,-1,sales,Tom,Why", "value", "set_units: at least 0", id="set below zero"),
    pytest.param(
        "2026-11,Tools,,,scale_pct,-100,sales,Tom,Why", "value", "scale_pct: more than -100", id="scale of -100"
    ),
    pytest.param("2026-11,Tools,,,add_units,five,sales,Tom,Why", "value", "a plain decimal number", id="text value"),
    pytest.param("2026-11,Tools,,,add_units,5,sales,,Why", "owner", "required value", id="no owner"),
    pytest.param("2026-11,Tools,,,add_units,5,sales,Tom,", "reason", "required value", id="no reason"),
]


@pytest.mark.parametrize(("row", "column", "rule"), BROKEN)
def test_a_broken_row_names_file_column_rule_and_row(
    tmp_path: Path, con: duckdb.DuckDBPyConnection, row: str, column: str, rule: str
) -> None:
    report = _validate(tmp_path, con, VALID_ROWS + row + "\n")
    failure = _only_failure(report)
    assert (failure.column, failure.severity) == (column, "error")
    assert rule in failure.rule
    assert [example["_source_row"] for example in failure.examples] == [5]
    message = report.describe()
    assert "adjustments.csv" in message and "row 5 (line 6)" in message


def test_two_rows_on_one_key_are_a_duplicate_never_summed(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    twice = "2026-11,Tools,,,add_units,5,sales,Tom,Why\n2026-11,Tools,,,scale_pct,10,sales,Tom,Again\n"
    failure = _only_failure(_validate(tmp_path, con, VALID_ROWS + twice))
    assert failure.column == "month, product_family, sku, region, source"
    assert "unique key" in failure.rule
    assert [example["_source_row"] for example in failure.examples] == [5, 6]


def test_the_same_change_from_two_sources_is_two_changes(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    two = "2026-11,Tools,,,add_units,5,sales,Tom,Why\n2026-11,Tools,,,add_units,5,finance,Lena,Why\n"
    assert _validate(tmp_path, con, VALID_ROWS + two).failures == ()
