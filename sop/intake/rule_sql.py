"""The Great Expectations suites (`expectations/<extract>.json`) answered by DuckDB.

Each expectation becomes a query for the rows that break it, with GX's meaning: column rules
skip missing values (except the not-null rule), compound keys skip rows whose key is wholly
missing, and failing rows are counted and listed in file order. All rules of a suite run as one
statement over the `validation_rows` table (`sop.intake.validation`), so the landed rows never leave
DuckDB. `tests/intake/test_validation_engines.py` holds this translation to GX's own results.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import duckdb

from sop.core.warehouse import quote_identifier

VALIDATION_ROWS = "validation_rows"


class UnsupportedExpectationError(Exception):
    """A suite uses an expectation (or an argument of one) that has no DuckDB translation here."""


@dataclass(frozen=True)
class ValidationRows:
    """What the `validation_rows` table holds: its columns and how many rows."""

    columns: list[str]
    row_count: int


@dataclass(frozen=True)
class RuleOutcome:
    failed: bool
    failing_rows: int | None
    """None for rules about the table as a whole."""
    example_rows: tuple[int, ...] = ()
    """The first failing rows' `_source_row`, in file order."""
    observed_columns: tuple[str, ...] = ()
    """For the column-set rule: the columns the file gave."""


def columns_of(expectation: Mapping[str, Any]) -> set[str]:
    """The columns a rule reads; a rule on a column the file lacks is not run."""
    kwargs = expectation["kwargs"]
    if expectation["type"] == "expect_column_to_exist":
        return set()
    if "column" in kwargs:
        return {kwargs["column"]}
    return set(kwargs.get("column_list", []))


def evaluate_suite(
    con: duckdb.DuckDBPyConnection,
    expectations: Sequence[Mapping[str, Any]],
    parameters: Mapping[str, Any],
    example_count: int,
    rows: ValidationRows,
    table: str = VALIDATION_ROWS,
) -> list[RuleOutcome]:
    """The outcome of every expectation, in order, over `table` (`validation_rows`, or the evidence of a
    check against history: `sop.intake.history`), whose rows are numbered by `_source_row`."""
    branches: list[str] = []
    bound: dict[str, Any] = {}
    for index, expectation in enumerate(expectations):
        query = _failing_rows_query(expectation, parameters, f"p{index}_", bound, quote_identifier(table))
        if query is not None:
            branches.append(f"select {index} as rule, _source_row from ({query})")
    found: dict[int, tuple[int, tuple[int, ...]]] = {}
    if branches:
        union = " union all ".join(branches)
        sql = f"select rule, count(*), min(_source_row, {int(example_count)}) from ({union}) group by rule"
        found = {rule: (count, tuple(rows)) for rule, count, rows in con.execute(sql, bound).fetchall()}
    return [_outcome(expectation, index, found, rows) for index, expectation in enumerate(expectations)]


def _outcome(
    expectation: Mapping[str, Any],
    index: int,
    found: Mapping[int, tuple[int, tuple[int, ...]]],
    rows: ValidationRows,
) -> RuleOutcome:
    columns, row_count = rows.columns, rows.row_count
    kind = expectation["type"]
    kwargs = expectation["kwargs"]
    if kind == "expect_table_row_count_to_be_between":
        low, high = kwargs.get("min_value"), kwargs.get("max_value")
        return RuleOutcome((low is not None and row_count < low) or (high is not None and row_count > high), None)
    if kind == "expect_column_to_exist":
        return RuleOutcome(kwargs["column"] not in columns, None)
    if kind == "expect_table_columns_to_match_set":
        expected = set(kwargs["column_set"])
        differs = set(columns) != expected if kwargs.get("exact_match", True) else not expected <= set(columns)
        return RuleOutcome(differs, None, observed_columns=tuple(columns))
    count, rows = found.get(index, (0, ()))
    return RuleOutcome(count > 0, count, rows)


_ROW_RULES = {
    "expect_column_values_to_not_be_null",
    "expect_column_values_to_match_regex",
    "expect_column_values_to_be_between",
    "expect_column_values_to_be_in_set",
    "expect_compound_columns_to_be_unique",
    "expect_column_values_to_be_unique",
}
_TABLE_RULES = {"expect_table_row_count_to_be_between", "expect_column_to_exist", "expect_table_columns_to_match_set"}
_KNOWN_ARGUMENTS = {
    "column",
    "column_list",
    "regex",
    "min_value",
    "max_value",
    "strict_min",
    "value_set",
    "column_set",
    "exact_match",
}


def check_supported(expectation: Mapping[str, Any]) -> None:
    kind = expectation["type"]
    if kind not in _ROW_RULES | _TABLE_RULES:
        raise UnsupportedExpectationError(
            f"{kind}: no DuckDB translation; supported: {sorted(_ROW_RULES | _TABLE_RULES)}"
        )
    unknown = set(expectation["kwargs"]) - _KNOWN_ARGUMENTS
    if unknown:
        raise UnsupportedExpectationError(f"{kind}: argument(s) {sorted(unknown)} have no DuckDB translation")


def _failing_rows_query(
    expectation: Mapping[str, Any], parameters: Mapping[str, Any], prefix: str, bound: dict[str, Any], table: str
) -> str | None:
    check_supported(expectation)
    kind = expectation["type"]
    kwargs = expectation["kwargs"]
    if kind in _TABLE_RULES:
        return None

    def value(name: str) -> str:
        raw = kwargs[name]
        bound[prefix + name] = parameters[raw["$PARAMETER"]] if isinstance(raw, dict) else raw
        return f"${prefix}{name}"

    if kind in ("expect_compound_columns_to_be_unique", "expect_column_values_to_be_unique"):
        key_columns = kwargs.get("column_list") or [kwargs["column"]]
        keys = ", ".join(quote_identifier(name) for name in key_columns)
        all_missing = " and ".join(f"{quote_identifier(name)} is null" for name in key_columns)
        return (
            f"select _source_row from (select _source_row, count(*) over (partition by {keys}) as copies"
            f" from {table} where not ({all_missing})) where copies > 1"
        )
    column = quote_identifier(kwargs["column"])
    if kind == "expect_column_values_to_not_be_null":
        condition = f"{column} is null"
    elif kind == "expect_column_values_to_match_regex":
        condition = f"{column} is not null and not regexp_matches({column}, {value('regex')})"
    elif kind == "expect_column_values_to_be_between":
        below = "<=" if kwargs.get("strict_min") else "<"
        bounds = [f"{column} {below} {value('min_value')}"] if kwargs.get("min_value") is not None else []
        bounds += [f"{column} > {value('max_value')}"] if kwargs.get("max_value") is not None else []
        condition = f"{column} is not null and ({' or '.join(bounds) or 'false'})"
    else:
        condition = f"{column} is not null and {column} not in (select unnest({value('value_set')}::varchar[]))"
    return f"select _source_row from {table} where {condition}"
