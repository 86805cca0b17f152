"""The contract's rules, as a user sees them fail: file, column, rule and example rows."""

from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from sop.intake.contract import EXTRACTS
from sop.intake.gx_suite import validate_with_gx
from sop.intake.ingest import land_extract
from sop.intake.validation import ValidationReport, load_suite_json, validate_extract

PLAN_MONTH = date(2026, 11, 1)
VALID = {
    "sales": "month,sku,product_family,region,units,net_revenue\n"
    "2026-09,S1,Tools,North,5,50\n2026-10,S1,Tools,North,6,60\n2026-10-31,S2,Garden,South,1.5e1,150\n",
    "inventory": "snapshot_month,sku,location,on_hand_units,safety_stock_units,unit_cost\n"
    "2026-10,S1,DC-1,4,1,6.5\n2026-10,S2,DC-1,0,2,3\n",
    "capacity": "month,plant,product_family,capacity_units\n"
    "2026-11,P1,Tools,10\n2026-11,P1,Garden,20\n2026-12,P1,Tools,10\n",
    "financials": "month,product_family,budget_units,budget_revenue,budget_cogs\n"
    "2026-11,Tools,10,100,60\n2026-11,Garden,5,50,30\n",
}


def _validate(tmp_path: Path, con: duckdb.DuckDBPyConnection, extract: str, **replaced: str) -> ValidationReport:
    folder = tmp_path / "extracts" / "2026-11"
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in {**VALID, **replaced}.items():
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    for name in ("sales", extract):
        land_extract(con, EXTRACTS[name], tmp_path / "extracts", PLAN_MONTH, datetime(2026, 11, 3))
    return validate_extract(con, extract, PLAN_MONTH)


def _only_failure(report: ValidationReport):
    assert len(report.failures) == 1, report.describe()
    return report.failures[0]


@pytest.mark.parametrize("extract", sorted(VALID))
def test_a_valid_extract_passes_every_rule(tmp_path: Path, con: duckdb.DuckDBPyConnection, extract: str) -> None:
    report = _validate(tmp_path, con, extract)
    assert report.failures == (), report.describe()
    assert report.passed


def test_a_negative_quantity_names_file_column_rule_and_row(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    sales = VALID["sales"].replace("2026-10,S1,Tools,North,6,60", "2026-10,S1,Tools,North,-6,60")
    report = _validate(tmp_path, con, "sales", sales=sales)
    failure = _only_failure(report)
    assert (failure.severity, failure.column, failure.rule, failure.failing_rows) == ("error", "units", ">= 0", 1)
    assert not report.passed
    message = report.describe()
    assert "sales.csv, column `units`, rule: >= 0; fails for 1 row(s)" in message
    assert "row 2 (line 3): month='2026-10', sku='S1', product_family='Tools', region='North', units='-6'" in message


def test_a_duplicate_key_shows_both_rows(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    sales = VALID["sales"] + "2026-10-15,S1,Tools,North,1,10\n"
    failure = _only_failure(_validate(tmp_path, con, "sales", sales=sales))
    assert failure.column == "month, sku, region"
    assert failure.rule.startswith("unique key")
    assert [row["_source_row"] for row in failure.examples] == [2, 4]


def test_a_missing_column_blocks(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    capacity = "month,plant,product_family\n2026-11,P1,Tools\n"
    report = _validate(tmp_path, con, "capacity", capacity=capacity)
    errors = [(failure.column, failure.rule) for failure in report.errors]
    assert errors == [("capacity_units", "required column")]
    assert "capacity.csv, column `capacity_units`, rule: required column; fails for the file" in report.describe()


@pytest.mark.parametrize("bad", ["abc", "NaN", "inf", "1,5", "12 units"])
def test_a_number_column_holds_plain_numbers(tmp_path: Path, con: duckdb.DuckDBPyConnection, bad: str) -> None:
    inventory = VALID["inventory"].replace("2026-10,S1,DC-1,4,1,6.5", f'2026-10,S1,DC-1,"{bad}",1,6.5')
    failure = _only_failure(_validate(tmp_path, con, "inventory", inventory=inventory))
    assert (failure.column, failure.severity) == ("on_hand_units", "error")
    assert failure.rule.startswith("a plain decimal number")


@pytest.mark.parametrize("bad", ["2026-13", "Oct 2026", "2026/10", "26-10"])
def test_a_month_must_be_year_month_or_iso_date(tmp_path: Path, con: duckdb.DuckDBPyConnection, bad: str) -> None:
    sales = VALID["sales"].replace("2026-09,S1", f"{bad},S1")
    failure = _only_failure(_validate(tmp_path, con, "sales", sales=sales))
    assert failure.column == "month"
    assert failure.rule.startswith("a month as YYYY-MM")


def test_blank_keys_are_missing_values(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    sales = VALID["sales"].replace("2026-09,S1,Tools,North", "2026-09,S1,Tools,  ")
    failure = _only_failure(_validate(tmp_path, con, "sales", sales=sales))
    assert (failure.column, failure.rule) == ("region", "required value (not empty)")
    assert "region=''" in failure.describe(tmp_path / "sales.csv")  # as the file has it, not None


def test_sales_cannot_reach_into_the_plan_month(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    sales = VALID["sales"] + "2026-11,S1,Tools,North,1,10\n"
    failure = _only_failure(_validate(tmp_path, con, "sales", sales=sales))
    assert failure.rule == "not after M-1 (the last month of history), here 2026-10"


def test_a_sku_belongs_to_one_family(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    sales = VALID["sales"] + "2026-08,S1,Garden,North,1,10\n"
    failure = _only_failure(_validate(tmp_path, con, "sales", sales=sales))
    assert (failure.column, failure.rule) == ("product_family", "one product family per sku across the file")
    assert failure.failing_rows == 3


def test_the_inventory_snapshot_is_the_previous_month(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    inventory = VALID["inventory"].replace("2026-10,S2", "2026-09,S2")
    failure = _only_failure(_validate(tmp_path, con, "inventory", inventory=inventory))
    assert failure.column == "snapshot_month"


def test_capacity_starts_at_the_plan_month(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    capacity = VALID["capacity"] + "2026-10,P1,Tools,10\n"
    failure = _only_failure(_validate(tmp_path, con, "capacity", capacity=capacity))
    assert failure.rule == "from the plan month M on, here 2026-11"


def test_an_unknown_sku_in_inventory_is_a_warning(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    inventory = VALID["inventory"] + "2026-10,S9,DC-1,1,1,1\n"
    report = _validate(tmp_path, con, "inventory", inventory=inventory)
    failure = _only_failure(report)
    assert (failure.severity, failure.column) == ("warning", "sku")
    assert report.passed


@pytest.mark.parametrize("extract", ["capacity", "financials"])
def test_an_unknown_family_blocks(tmp_path: Path, con: duckdb.DuckDBPyConnection, extract: str) -> None:
    text = VALID[extract].replace("Garden", "Gardn")
    failure = _only_failure(_validate(tmp_path, con, extract, **{extract: text}))
    assert (failure.severity, failure.column, failure.rule) == ("error", "product_family", "known from sales")


def test_an_extra_column_is_a_warning_that_names_it(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    financials = (
        VALID["financials"]
        .replace("budget_cogs\n", "budget_cogs,owner\n")
        .replace("60\n", "60,ann\n")
        .replace(",30\n", ",30,bob\n")
    )
    report = _validate(tmp_path, con, "financials", financials=financials)
    failure = _only_failure(report)
    assert failure.severity == "warning"
    assert failure.detail == "extra column(s) ignored: owner"
    assert report.passed


def test_data_docs_are_written_as_html(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    _validate(tmp_path, con, "sales")
    docs = tmp_path / "docs"
    validate_with_gx(con, "sales", PLAN_MONTH, docs)
    assert (docs / "index.html").is_file()
    assert list((docs / "validations").rglob("*.html"))


@pytest.mark.parametrize("extract", sorted(EXTRACTS))
def test_every_suite_names_a_column_and_rule_for_each_expectation(extract: str) -> None:
    suite = load_suite_json(extract)
    columns_with_rules = {exp["meta"].get("column") for exp in suite["expectations"]}
    assert set(EXTRACTS[extract].column_names) <= columns_with_rules
    assert all(exp["meta"]["rule"] and exp["severity"] in {"critical", "warning"} for exp in suite["expectations"])


def test_a_header_without_rows_blocks(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    failure = _only_failure(
        _validate(tmp_path, con, "capacity", capacity="month,plant,product_family,capacity_units\n")
    )
    assert (failure.severity, failure.column, failure.rule) == ("error", "(table)", "at least one data row")


def test_a_byte_order_mark_and_crlf_line_ends_are_accepted(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    sales = "\ufeff" + VALID["sales"].replace("\n", "\r\n")
    report = _validate(tmp_path, con, "sales", sales=sales)
    assert report.failures == (), report.describe()
    assert report.row_count == 3


@pytest.mark.parametrize(
    ("huge", "rule"), [("1e999", "a finite amount (a value like 1e999 overflows)"), ("-1e999", ">= 0")]
)
def test_a_number_too_large_for_a_double_is_refused(
    tmp_path: Path, con: duckdb.DuckDBPyConnection, huge: str, rule: str
) -> None:
    inventory = VALID["inventory"].replace("2026-10,S1,DC-1,4,1,6.5", f"2026-10,S1,DC-1,{huge},1,6.5")
    failure = _only_failure(_validate(tmp_path, con, "inventory", inventory=inventory))
    assert (failure.column, failure.rule, failure.failing_rows) == ("on_hand_units", rule, 1)
