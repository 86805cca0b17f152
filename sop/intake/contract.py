"""Input contract v1: the four monthly extracts, their columns, types and keys.

The single source of truth for column names: ingestion, staging SQL, the expectation
suites and the sample-data generator are all checked against it in tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sop.core import tables

ColumnKind = Literal["month", "text", "number"]


@dataclass(frozen=True)
class Column:
    name: str
    kind: ColumnKind


@dataclass(frozen=True)
class ExtractSpec:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    grain: str

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    @property
    def raw_table(self) -> str:
        return tables.raw(self.name)

    @property
    def staging_table(self) -> str:
        return tables.staged(self.name)


def _columns(**kinds: ColumnKind) -> tuple[Column, ...]:
    return tuple(Column(name, kind) for name, kind in kinds.items())


SALES = ExtractSpec(
    name="sales",
    columns=_columns(
        month="month",
        sku="text",
        product_family="text",
        region="text",
        units="number",
        net_revenue="number",
    ),
    key=("month", "sku", "region"),
    grain="one row per month x sku x region, history up to and including M-1",
)

INVENTORY = ExtractSpec(
    name="inventory",
    columns=_columns(
        snapshot_month="month",
        sku="text",
        location="text",
        on_hand_units="number",
        safety_stock_units="number",
        unit_cost="number",
    ),
    key=("sku", "location"),
    grain="one row per sku x location: the position at the end of M-1",
)

CAPACITY = ExtractSpec(
    name="capacity",
    columns=_columns(
        month="month",
        plant="text",
        product_family="text",
        capacity_units="number",
    ),
    key=("month", "plant", "product_family"),
    grain="one row per month x plant x product_family, for the months of the horizon",
)

FINANCIALS = ExtractSpec(
    name="financials",
    columns=_columns(
        month="month",
        product_family="text",
        budget_units="number",
        budget_revenue="number",
        budget_cogs="number",
    ),
    key=("month", "product_family"),
    grain="one row per month x product_family: the budget (annual operating plan)",
)

EXTRACTS: dict[str, ExtractSpec] = {spec.name: spec for spec in (SALES, INVENTORY, CAPACITY, FINANCIALS)}

WHITESPACE = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u2028\u2029\u202f\u205f\u3000"
)
"""Unicode White_Space, which a spreadsheet or an ERP may pad values with: every value is read
without it, and a value of nothing else is missing."""

# Each extract arrives as `<name>.csv` or `<name>.parquet` in the plan month's folder.
EXTRACT_SUFFIXES = (".csv", ".parquet")
