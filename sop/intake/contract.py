"""The input contract: the four monthly extracts of v1 (sales, inventory, capacity, financials) and
the optional ones of v2 (adjustments: the demand review; actions: the decision and action log), their
columns, types and keys.

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
    required: bool = True
    """Every row has a value; an optional column may be blank."""


@dataclass(frozen=True)
class Derived:
    """A column validation adds for a rule across columns: SQL over the file's trimmed values and the
    typed `<column>__number` and `<column>__month`, computed when the file has the columns it reads."""

    name: str
    sql: str
    reads: tuple[str, ...]


@dataclass(frozen=True)
class ExtractSpec:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    grain: str
    optional: bool = False
    """The month's folder may lack the file: then the extract has no rows that month..."""
    when_absent: str = ""
    """...which means this."""
    derived: tuple[Derived, ...] = ()

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


FAMILIES_PER_SKU = "product_family__families_per_sku"


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
    derived=(
        Derived(FAMILIES_PER_SKU, "count(distinct product_family) over (partition by sku)", ("sku", "product_family")),
    ),
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

ADJUSTMENT_KINDS = ("set_units", "scale_pct", "add_units")
"""In the order they land within one scope: a new level first, then a change in percent, then units added."""
SOURCES = ("sales", "marketing", "finance", "supply", "executive")
"""The functions of the demand review, in the order their changes land within one scope and kind."""

ADJUSTMENTS = ExtractSpec(
    name="adjustments",
    columns=(
        Column("month", "month"),
        Column("product_family", "text"),
        Column("sku", "text", required=False),
        Column("region", "text", required=False),
        Column("kind", "text"),
        Column("value", "number"),
        Column("source", "text"),
        Column("owner", "text"),
        Column("reason", "text"),
    ),
    key=("month", "product_family", "sku", "region", "source"),
    grain="one row per change to the statistical forecast: month x product_family x sku x region x source",
    optional=True,
    when_absent="no adjustments: the consensus is the statistical forecast.",
    derived=(
        Derived("sku__of_family", "sku || ' of ' || product_family", ("sku", "product_family")),
        Derived("value__set_units", "case when kind = 'set_units' then value__number end", ("kind", "value")),
        Derived("value__scale_pct", "case when kind = 'scale_pct' then value__number end", ("kind", "value")),
    ),
)

ACTION_STATUSES = ("open", "in_progress", "done", "dropped")
CLOSED_STATUSES = ("done", "dropped")

ACTIONS = ExtractSpec(
    name="actions",
    columns=(
        Column("action_id", "text"),
        Column("decided_month", "month"),
        Column("description", "text"),
        Column("owner", "text"),
        Column("due_month", "month"),
        Column("status", "text"),
        Column("product_family", "text", required=False),
        Column("risk_kind", "text", required=False),
        Column("closed_month", "month", required=False),
    ),
    key=("action_id",),
    grain="one row per action: the whole decision and action log as the S&OP coordinator keeps it at the close of M-1",
    optional=True,
    when_absent="no action log this month.",
    derived=(
        Derived(
            "due_month__months_after_decided",
            "date_diff('month', decided_month__month, due_month__month)",
            ("decided_month", "due_month"),
        ),
        Derived(
            "closed_month__months_after_decided",
            "date_diff('month', decided_month__month, closed_month__month)",
            ("decided_month", "closed_month"),
        ),
        Derived(
            "closed_month__missing_when_closed",
            "case when status in ('done', 'dropped') and closed_month is null then 1 else 0 end",
            ("status", "closed_month"),
        ),
        Derived(
            "closed_month__given_while_open",
            "case when status in ('open', 'in_progress') and closed_month is not null then 1 else 0 end",
            ("status", "closed_month"),
        ),
    ),
)

EXTRACTS: dict[str, ExtractSpec] = {
    spec.name: spec for spec in (SALES, INVENTORY, CAPACITY, FINANCIALS, ADJUSTMENTS, ACTIONS)
}
REQUIRED_EXTRACTS = tuple(name for name, spec in EXTRACTS.items() if not spec.optional)

WHITESPACE = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u2028\u2029\u202f\u205f\u3000"
)
"""Unicode White_Space, which a spreadsheet or an ERP may pad values with: every value is read
without it, and a value of nothing else is missing."""

# Each extract arrives as `<name>.csv` or `<name>.parquet` in the plan month's folder.
EXTRACT_SUFFIXES = (".csv", ".parquet")
