"""A corpus of broken extracts, each made from a valid extract folder by one change.

Each case says what a user sees: an error (the failing step or check, and words of its message
that name the file, column and rule) or an accepted run. The README's table "What a broken
extract does" lists the same cases.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl


@dataclass(frozen=True)
class Case:
    name: str
    change: Callable[[Path], None]
    """Applies the one change to the month's extract folder."""
    failure: str | None
    """The step (`raw_sales`) or check (`sales_contract`) that stops the month; None: accepted."""
    words: tuple[str, ...] = ()
    """Words of its message: the file, the column, the rule."""


def _rows(folder: Path, extract: str) -> list[list[str]]:
    text = (folder / f"{extract}.csv").read_text(encoding="utf-8")
    return list(csv.reader(io.StringIO(text)))


def _write(folder: Path, extract: str, rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    (folder / f"{extract}.csv").write_text(buffer.getvalue(), encoding="utf-8")


def _edit(extract: str, column: str, value: str, row: int = 5) -> Callable[[Path], None]:
    """Sets one field of one data row."""

    def change(folder: Path) -> None:
        rows = _rows(folder, extract)
        rows[row][rows[0].index(column)] = value
        _write(folder, extract, rows)

    return change


def _duplicate(extract: str) -> Callable[[Path], None]:
    def change(folder: Path) -> None:
        rows = _rows(folder, extract)
        _write(folder, extract, [*rows, rows[3]])

    return change


def _drop_column(extract: str, column: str) -> Callable[[Path], None]:
    def change(folder: Path) -> None:
        rows = _rows(folder, extract)
        index = rows[0].index(column)
        _write(folder, extract, [row[:index] + row[index + 1 :] for row in rows])

    return change


def _rename_column(extract: str, column: str, name: str) -> Callable[[Path], None]:
    def change(folder: Path) -> None:
        rows = _rows(folder, extract)
        rows[0][rows[0].index(column)] = name
        _write(folder, extract, rows)

    return change


def _add_column(extract: str, name: str) -> Callable[[Path], None]:
    def change(folder: Path) -> None:
        rows = _rows(folder, extract)
        _write(folder, extract, [[*rows[0], name], *[[*row, "x"] for row in rows[1:]]])

    return change


def _raw(extract: str, rewrite: Callable[[bytes], bytes]) -> Callable[[Path], None]:
    def change(folder: Path) -> None:
        path = folder / f"{extract}.csv"
        path.write_bytes(rewrite(path.read_bytes()))

    return change


def _remove(extract: str) -> Callable[[Path], None]:
    def change(folder: Path) -> None:
        (folder / f"{extract}.csv").unlink()

    return change


def _two_families(folder: Path) -> None:
    rows = _rows(folder, "sales")
    family = rows[0].index("product_family")
    sku = rows[0].index("sku")
    first = rows[1][sku]
    changed = next(row for row in rows[2:] if row[sku] == first)
    changed[family] = "Other Family"
    _write(folder, "sales", rows)


def _rename_value(column: str, new_name: Callable[[str], str]) -> Callable[[Path], None]:
    """Renames the first row's value of a column in every extract that carries the column, as a
    company renaming a sku or region would."""

    def change(folder: Path) -> None:
        header, first, *_ = _rows(folder, "sales")
        old = first[header.index(column)]
        for path in sorted(folder.glob("*.csv")):
            rows = _rows(folder, path.stem)
            if column not in rows[0]:
                continue
            index = rows[0].index(column)
            for row in rows[1:]:
                if row[index] == old:
                    row[index] = new_name(old)
            _write(folder, path.stem, rows)

    return change


def _parquet_wrong_types(folder: Path) -> None:
    sales = pl.read_csv(folder / "sales.csv", infer_schema=False)
    sales = sales.with_columns(pl.lit(True).alias("units"))
    sales.write_parquet(folder / "sales.parquet")
    (folder / "sales.csv").unlink()


def _truncate(data: bytes) -> bytes:
    return data[: len(data) - 7]


CASES = [
    Case("missing file", _remove("inventory"), "raw_inventory", ("inventory extract is missing",)),
    Case("empty file", _raw("capacity", lambda data: b""), "raw_capacity", ("capacity.csv", "empty")),
    Case(
        "header only",
        _raw("financials", lambda data: data.split(b"\n", 1)[0] + b"\n"),
        "financials_contract",
        ("financials.csv", "at least one data row"),
    ),
    Case("truncated file", _raw("sales", _truncate), "sales_contract", ("sales.csv", "column `net_revenue`")),
    Case(
        "wrong delimiter",
        _raw("inventory", lambda data: data.replace(b",", b";")),
        "raw_inventory",
        ("inventory.csv", "semicolon"),
    ),
    Case(
        "missing column",
        _drop_column("sales", "net_revenue"),
        "sales_contract",
        ("column `net_revenue`", "required column"),
    ),
    Case(
        "renamed column",
        _rename_column("capacity", "capacity_units", "capacity"),
        "capacity_contract",
        ("column `capacity_units`", "required column"),
    ),
    Case("extra column", _add_column("inventory", "buyer"), None),
    Case(
        "text in a number column",
        _edit("sales", "units", "twelve"),
        "sales_contract",
        ("column `units`", "plain decimal number", "twelve"),
    ),
    Case("NaN", _edit("financials", "budget_revenue", "NaN"), "financials_contract", ("column `budget_revenue`",)),
    Case("infinity", _edit("inventory", "unit_cost", "inf"), "inventory_contract", ("column `unit_cost`",)),
    Case("negative value", _edit("capacity", "capacity_units", "-5"), "capacity_contract", ("rule: >= 0",)),
    Case(
        "unparseable month",
        _edit("sales", "month", "Oct 2025"),
        "sales_contract",
        ("column `month`", "YYYY-MM", "Oct 2025"),
    ),
    Case("month 13", _edit("financials", "month", "2026-13"), "financials_contract", ("column `month`",)),
    Case("sales in the plan month", _edit("sales", "month", "2027-01"), "sales_contract", ("not after M-1",)),
    Case("capacity before the plan month", _edit("capacity", "month", "2025-01"), "capacity_contract", ("month",)),
    Case(
        "wrong inventory snapshot month",
        _edit("inventory", "snapshot_month", "2026-01"),
        "inventory_contract",
        ("column `snapshot_month`",),
    ),
    Case("duplicate sales key", _duplicate("sales"), "sales_contract", ("unique key",)),
    Case("duplicate inventory key", _duplicate("inventory"), "inventory_contract", ("unique key",)),
    Case("duplicate capacity key", _duplicate("capacity"), "capacity_contract", ("unique key",)),
    Case("duplicate financials key", _duplicate("financials"), "financials_contract", ("unique key",)),
    Case("a sku in two families", _two_families, "sales_contract", ("one product family per sku",)),
    Case(
        "unknown family in capacity",
        _edit("capacity", "product_family", "Toys"),
        "capacity_contract",
        ("column `product_family`", "Toys"),
    ),
    Case(
        "unknown family in financials",
        _edit("financials", "product_family", "Toys"),
        "financials_contract",
        ("column `product_family`", "Toys"),
    ),
    Case("blank key", _edit("sales", "sku", "  "), "sales_contract", ("column `sku`", "required value")),
    Case("unknown sku in inventory", _edit("inventory", "sku", "SKU-99999"), None),
    Case("byte-order mark", _raw("sales", lambda data: b"\xef\xbb\xbf" + data), None),
    Case("CRLF line endings", _raw("financials", lambda data: data.replace(b"\n", b"\r\n")), None),
    Case("quoted commas", _rename_value("region", lambda name: f"{name}, Greater"), None),
    Case(
        "non-UTF-8 bytes",
        _raw("inventory", lambda data: data.replace(b"DC-1", b"DC-\xe91", 1)),
        "raw_inventory",
        ("inventory.csv", "not UTF-8", "byte 0xE9 on line 2"),
    ),
    Case("very long strings", _rename_value("region", lambda name: "R" * 10_000), None),
    Case(
        "SQL metacharacters in names",
        _rename_value("sku", lambda name: "SKU'); drop table stg_sales; --"),
        None,
    ),
    Case(
        "Parquet with wrong column types",
        _parquet_wrong_types,
        "sales_contract",
        ("sales.parquet", "column `units`", "plain decimal number"),
    ),
    Case(
        "negative budget",
        _edit("financials", "budget_cogs", "-1"),
        "financials_contract",
        ("column `budget_cogs`", ">= 0"),
    ),
    Case("no adjustments file", _remove("adjustments"), None),
    Case(
        "adjustment of an unknown sku",
        _edit("adjustments", "sku", "SKU-99999"),
        "adjustments_contract",
        ("adjustments.csv", "column `sku`", "a sku of that product_family", "SKU-99999"),
    ),
    Case(
        "adjustment of a kind not in the list",
        _edit("adjustments", "kind", "multiply"),
        "adjustments_contract",
        ("adjustments.csv", "column `kind`", "multiply"),
    ),
    Case(
        "adjustment scaling by -100%",
        _edit("adjustments", "value", "-100"),
        "adjustments_contract",
        ("adjustments.csv", "column `value`", "scale_pct: more than -100"),
    ),
    Case(
        "adjustment without an owner",
        _edit("adjustments", "owner", ""),
        "adjustments_contract",
        ("adjustments.csv", "column `owner`", "required value"),
    ),
    Case(
        "adjustment outside the horizon",
        _edit("adjustments", "month", "2031-01"),
        "adjustments_contract",
        ("adjustments.csv", "column `month`", "inside the horizon"),
    ),
    Case("duplicate adjustments key", _duplicate("adjustments"), "adjustments_contract", ("unique key",)),
    Case("no actions file", _remove("actions"), None),
    Case(
        "action dropped without closed_month",
        _edit("actions", "closed_month", ""),
        "actions_contract",
        ("actions.csv", "column `closed_month`", "required when status is done or dropped"),
    ),
    Case("duplicate action_id", _duplicate("actions"), "actions_contract", ("actions.csv", "unique key (action_id)")),
]
