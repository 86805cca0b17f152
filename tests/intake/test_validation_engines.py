"""The DuckDB rules find exactly what Great Expectations finds on the same rows and suites: on valid
extracts and on every broken extract of the corpus (`tests/intake/bad_inputs.py`)."""

from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from sop.core.months import parse_month
from sop.core.warehouse import define_macros
from sop.intake.contract import EXTRACTS, WHITESPACE
from sop.intake.gx_suite import validate_with_gx
from sop.intake.ingest import ExtractError, land_extract
from sop.intake.rule_sql import UnsupportedExpectationError, check_supported
from sop.intake.validation import load_suite_json, validate_extract
from sop.sample_data import SampleSpec, write_sample_extracts
from tests.intake.bad_inputs import CASES, Case

MONTH = "2026-10"
TINY = SampleSpec(n_skus=8, n_regions=2, anchor_month="2026-11")
VALID = Case("valid extracts", lambda folder: None, None)


def _many_failures(folder: Path) -> None:
    """Every seventh sales row negative, padded with Unicode spaces or blank: more failing rows
    than the examples show, so both engines must pick the same first ones."""
    lines = (folder / "sales.csv").read_text(encoding="utf-8").splitlines()
    for number in range(7, len(lines), 7):
        fields = lines[number].split(",")
        fields[4] = ["\u00a0-3\t", "-1", " "][number % 3]
        lines[number] = ",".join(fields)
    (folder / "sales.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


MANY = Case("many failing rows", _many_failures, "sales_contract")


def _landed(tmp_path: Path, case: Case) -> tuple[duckdb.DuckDBPyConnection, list[str]]:
    write_sample_extracts(tmp_path / "extracts", MONTH, TINY)
    case.change(tmp_path / "extracts" / MONTH)
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    landed = []
    for name, spec in EXTRACTS.items():
        try:
            land_extract(con, spec, tmp_path / "extracts", parse_month(MONTH), datetime(2026, 10, 3))
        except ExtractError:
            continue  # refused before validation: the file-level corpus cases
        landed.append(name)
    return con, landed


@pytest.mark.parametrize("case", [VALID, MANY, *CASES], ids=[case.name for case in [VALID, MANY, *CASES]])
def test_duckdb_and_great_expectations_find_the_same_failures(tmp_path: Path, case: Case) -> None:
    con, landed = _landed(tmp_path, case)
    if "sales" not in landed:
        pytest.skip("the other suites read the landed sales")
    for extract in landed:
        by_duckdb = validate_extract(con, extract, parse_month(MONTH))
        by_gx = validate_with_gx(con, extract, parse_month(MONTH))
        assert (by_duckdb.row_count, by_duckdb.findings()) == (by_gx.row_count, by_gx.findings()), (
            f"DuckDB:\n{by_duckdb.describe()}\nGX:\n{by_gx.describe()}"
        )
    con.close()


def test_every_expectation_of_the_suites_has_a_duckdb_translation() -> None:
    for extract in EXTRACTS:
        for expectation in load_suite_json(extract)["expectations"]:
            check_supported(expectation)


def test_an_expectation_without_translation_is_refused_by_name() -> None:
    with pytest.raises(UnsupportedExpectationError, match="expect_column_mean_to_be_between"):
        check_supported({"type": "expect_column_mean_to_be_between", "kwargs": {"column": "units"}})


@pytest.mark.parametrize(
    ("value", "expected"),
    [("  SKU-1\t", "SKU-1"), ("\u00a0\u3000Garden\u2009", "Garden"), ("\t \n", None), ("", None), ("a b", "a b")],
)
def test_values_are_read_without_surrounding_unicode_whitespace(
    con: duckdb.DuckDBPyConnection, value: str, expected: str | None
) -> None:
    define_macros(con)
    assert con.execute(
        "select trimmed($value, $whitespace)", {"value": value, "whitespace": WHITESPACE}
    ).fetchall() == [(expected,)]
