"""The decision and action log (input contract v2), as a user sees each rule fail: file, column, rule
and row; and a month without the file, which has no log."""

from datetime import date
from pathlib import Path

import duckdb
import pytest

from sop.intake.contract import ACTIONS
from sop.intake.staging import stage_extract
from sop.intake.validation import ValidationReport, load_suite_json
from sop.plan.risk_kinds import KINDS
from tests.intake.beside_sales import PLAN_MONTH, validate_beside_sales

SALES_CSV = "month,sku,product_family,region,units,net_revenue\n2026-10,S1,Tools,North,6,60\n"
HEADER = "action_id,decided_month,description,owner,due_month,status,product_family,risk_kind,closed_month\n"
VALID_ROWS = (
    "A1,2026-08,Add a shift,Jon Park,2026-10,done,Tools,capacity_overload,2026-10\n"
    "A2,2026-09,Move volume,Ana Ruiz,2027-01,in_progress,Tools,unmet_demand,\n"
    "A3,2026-10,Pilot a line,Ana Ruiz,2026-12,dropped,,,2026-10\n"
    "A4,2026-10-15,Agree volumes,Maria Costa,2026-11,open,,,\n"
)


def _validate(tmp_path: Path, con: duckdb.DuckDBPyConnection, rows: str | None) -> ValidationReport:
    return validate_beside_sales(tmp_path, con, ACTIONS, SALES_CSV, None if rows is None else HEADER + rows)


def test_a_valid_log_passes_and_stages_typed(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    report = _validate(tmp_path, con, VALID_ROWS)
    assert report.failures == (), report.describe()
    assert stage_extract(con, ACTIONS, PLAN_MONTH) == 4
    staged = con.execute(
        "select action_id, decided_month, status, product_family, closed_month from stg_actions order by _source_row"
    ).fetchall()
    assert staged[0] == ("A1", date(2026, 8, 1), "done", "Tools", date(2026, 10, 1))
    assert staged[2] == ("A3", date(2026, 10, 1), "dropped", None, date(2026, 10, 1))
    assert staged[3][1] == date(2026, 10, 1)  # any day means that month


def test_no_file_means_no_log(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    report = _validate(tmp_path, con, None)
    assert report.passed and report.source_file is None
    assert "No actions file" in report.describe()
    assert stage_extract(con, ACTIONS, PLAN_MONTH) == 0


def _row(**changes: str) -> str:
    """An action of the log, valid but for `changes`."""
    fields = {
        "action_id": "A9",
        "decided_month": "2026-09",
        "description": "Do it",
        "owner": "Jon",
        "due_month": "2026-12",
        "status": "open",
        "product_family": "",
        "risk_kind": "",
        "closed_month": "",
    }
    return ",".join((fields | changes).values())


BROKEN = [
    pytest.param(_row(status="waiting"), "status", "one of open, in_progress", id="unknown status"),
    pytest.param(_row(status="done"), "closed_month", "required when status is done", id="done, not closed"),
    pytest.param(_row(status="dropped"), "closed_month", "required when status is", id="dropped, not closed"),
    pytest.param(_row(closed_month="2026-10"), "closed_month", "blank while status is open", id="open and closed"),
    pytest.param(_row(due_month="2026-08"), "due_month", "not before decided_month", id="due before decided"),
    pytest.param(_row(decided_month="2026-11"), "decided_month", "not after M-1", id="decided in the plan month"),
    pytest.param(
        _row(status="done", closed_month="2026-08"),
        "closed_month",
        "not before decided_month",
        id="closed before decided",
    ),
    pytest.param(
        _row(status="done", closed_month="2026-11"), "closed_month", "not after M-1", id="closed in the plan month"
    ),
    pytest.param(_row(product_family="Toys"), "product_family", "known from sales", id="unknown family"),
    pytest.param(_row(risk_kind="stockout"), "risk_kind", "a kind of the risk register", id="unknown risk kind"),
    pytest.param(_row(owner=""), "owner", "required value", id="no owner"),
    pytest.param(_row(description=""), "description", "required value", id="no description"),
    pytest.param(_row(action_id=""), "action_id", "required value", id="no action_id"),
    pytest.param(_row(decided_month="Sept"), "decided_month", "YYYY-MM", id="unreadable month"),
]


@pytest.mark.parametrize(("row", "column", "rule"), BROKEN)
def test_a_broken_row_names_file_column_rule_and_row(
    tmp_path: Path, con: duckdb.DuckDBPyConnection, row: str, column: str, rule: str
) -> None:
    report = _validate(tmp_path, con, VALID_ROWS + row + "\n")
    failures = [failure for failure in report.failures if failure.column == column]
    assert len(failures) == 1 and len(report.failures) == 1, report.describe()
    failure = failures[0]
    assert failure.severity == "error" and rule in failure.rule, failure.rule
    assert [example["_source_row"] for example in failure.examples] == [5]
    message = report.describe()
    assert "actions.csv" in message and "row 5 (line 6)" in message


def test_two_rows_of_one_action_are_a_duplicate(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    again = "A2,2026-09,Move volume,Ana Ruiz,2027-02,in_progress,Tools,unmet_demand,\n"
    report = _validate(tmp_path, con, VALID_ROWS + again)
    assert [(failure.column, "unique key" in failure.rule) for failure in report.failures] == [("action_id", True)]
    assert [example["_source_row"] for example in report.failures[0].examples] == [2, 5]


def test_the_suite_knows_every_kind_of_risk_of_the_register() -> None:
    rule = next(
        expectation
        for expectation in load_suite_json("actions")["expectations"]
        if expectation["type"] == "expect_column_values_to_be_in_set" and expectation["kwargs"]["column"] == "risk_kind"
    )
    assert rule["kwargs"]["value_set"] == list(KINDS)
